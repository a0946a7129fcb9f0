// The contract between the /3 dispatcher (api-router.ts) and the resource modules.
import type { TenantState } from './state.js';

/** Fortnox OAuth scopes, per https://www.fortnox.se/developer/guides-and-good-to-know/scopes. */
export type Scope = 'bookkeeping' | 'companyinformation' | 'costcenter' | 'currency' | 'customer' | 'invoice' | 'payment' | 'project' | 'settings';

/**
 * Every scope the sandbox serves: what a client-credentials token gets unless its request names `scope`, as a
 * service account gets the scopes its consent gave. A code grant gets exactly the scopes the consent URL asked for.
 */
export const ALL_SCOPES: readonly Scope[] = ['bookkeeping', 'companyinformation', 'costcenter', 'currency', 'customer', 'invoice', 'payment', 'project', 'settings'];

/** Query parameters with lowercased names; the first value of a repeated parameter wins. */
export type Query = ReadonlyMap<string, string>;

export interface ApiContext {
  tenant: TenantState;
  params: Readonly<Record<string, string>>;
  query: Query;
  /** The request's wrapped object, validated against the spec, read-only fields removed; {} without a body. */
  body: Record<string, unknown>;
  /** The sandbox's own base URL, for `@url` fields. */
  baseUrl: string;
  /** Today's date (YYYY-MM-DD) as the sandbox's clock says. */
  today: string;
  /** Milliseconds since the epoch, for `lastmodified`. */
  now: number;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path template exactly as in Fortnox's OpenAPI file, e.g. '/3/invoices/{DocumentNumber}'. */
  template: string;
  scope: Scope;
  /** Query parameters accepted beyond the global ones and those the spec declares for the operation. */
  extraQuery?: readonly string[];
  /** The spec declares a body, but Fortnox's older docs send none: an empty body is taken as {}. */
  bodyOptional?: boolean;
  handle(context: ApiContext): ApiResult;
}

/** 200 with a `{ Wrapper: object }` body. */
export function ok(wrapper: string, value: unknown): ApiResult {
  return { status: 200, body: { [wrapper]: value } };
}

/** 201 with a `{ Wrapper: object }` body and Fortnox's relative Location header (e.g. "invoices"). */
export function created(wrapper: string, value: unknown, location: string): ApiResult {
  return { status: 201, body: { [wrapper]: value }, headers: { Location: location } };
}

export const noContent: ApiResult = { status: 204 };

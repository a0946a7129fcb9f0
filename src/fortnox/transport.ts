import type { KyInstance } from 'ky';
import { z } from 'zod';
import { countFortnoxRequest } from '../metrics/meter.js';
import type { AccessTokenSource } from './auth/access-token.js';
import { FortnoxApiError, FortnoxReauthorisationRequiredError, FortnoxTokenExpiredError, FortnoxUnexpectedResponseError } from './errors.js';
import { errorFromResponse, send } from './http.js';
import type { SlidingWindowRateLimiter } from './rate-limiter.js';
import { metaInformationSchema } from './wire.js';

/** Fortnox's largest page. */
const MAX_PAGE_SIZE = 500;

const listPageSchema = z.looseObject({ MetaInformation: metaInformationSchema.optional() });

export type Query = Record<string, string | number | boolean | undefined>;

export interface TransportOptions {
  http: KyInstance;
  /** Fortnox's API origin, e.g. `https://api.fortnox.se`; paths start with `/3/`. */
  apiBaseUrl: string;
  tenant: string;
  tokens: AccessTokenSource;
  rateLimiter: SlidingWindowRateLimiter;
  /** Asked before every call; throws (e.g. {@link FortnoxCallRefusedError}) to refuse it before anything is sent. */
  guard?: (request: string) => void;
  /** The caller's cancellation, read per call: an aborted call stops waiting for a slot and drops its connection. */
  signal?: () => AbortSignal | undefined;
}

/**
 * Sends authenticated, rate-limited requests for one tenant and parses the answers. A 401 gets one token renewal
 * and one retry; every other failure is thrown as a {@link FortnoxError} for the caller's retry policy to judge.
 */
export class FortnoxTransport {
  constructor(private readonly options: TransportOptions) {}

  get tenant(): string {
    return this.options.tenant;
  }

  /** One call. `schema` parses the 2xx body; a 204 parses `undefined`. */
  async call<S extends z.ZodType>(
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    schema: S,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<z.infer<S>> {
    const request = `${method.toUpperCase()} ${path}`;
    this.options.guard?.(request);
    const first = await this.attempt(method, path, () => this.options.tokens.current(), options);
    let response = first.response;
    if (response.status === 401) {
      const second = await this.attempt(method, path, () => this.options.tokens.renew(first.token), options);
      response = second.response;
      const renewed = second.token;
      if (response.status === 401) {
        // Refused because it ran out on the way (our clock says so too): retry later, nobody needs to act.
        if (!this.options.tokens.isFresh(renewed)) throw new FortnoxTokenExpiredError(request);
        throw new FortnoxReauthorisationRequiredError(
          request,
          this.options.tenant,
          'Fortnox refused a newly issued access token',
          this.options.tokens.kind === 'clientCredentials',
        );
      }
    }
    if (!response.ok) throw await errorFromResponse(request, response);
    const text = await response.text();
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new FortnoxUnexpectedResponseError(request, `HTTP ${response.status} with a body that is not JSON`);
      }
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).slice(0, 5);
      throw new FortnoxUnexpectedResponseError(request, where.join('; '));
    }
    return parsed.data;
  }

  /** A GET whose 404 means "there is none": undefined instead of an error. */
  async find<S extends z.ZodType>(path: string, schema: S, query: Query = {}): Promise<z.infer<S> | undefined> {
    try {
      return await this.call('get', path, schema, { query });
    } catch (error) {
      if (error instanceof FortnoxApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Every item of a list endpoint, following `MetaInformation` page by page (Fortnox pages by 100 unless told
   * otherwise; clients that forget lose rows).
   */
  async listAll<S extends z.ZodType>(path: string, key: string, item: S, query: Query = {}): Promise<z.infer<S>[]> {
    const items: z.infer<S>[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await this.call('get', path, listPageSchema, { query: { ...query, limit: MAX_PAGE_SIZE, page } });
      const parsedItems = item.array().safeParse(answer[key] ?? []);
      if (!parsedItems.success) {
        const issue = parsedItems.error.issues[0];
        throw new FortnoxUnexpectedResponseError(`GET ${path}`, `${key}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unexpected'}`);
      }
      items.push(...(parsedItems.data as z.infer<S>[]));
      if (page >= (answer.MetaInformation?.['@TotalPages'] ?? 0)) return items;
    }
  }

  /**
   * One request in its rate-limit slot. The token is taken once the slot is granted, not before: a request may wait
   * in the queue longer than a short-lived token lives, and a token that ran out in the queue costs a slot for a 401.
   */
  private attempt(
    method: string,
    path: string,
    token: () => Promise<string>,
    options: { query?: Query; body?: unknown },
  ): Promise<{ response: Response; token: string }> {
    const searchParams = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) searchParams.set(key, String(value));
    }
    const signal = this.options.signal?.();
    return this.options.rateLimiter.schedule(async () => {
      const bearer = await token();
      const headers: Record<string, string> = { Authorization: `Bearer ${bearer}`, Accept: 'application/json' };
      let response: Response;
      try {
        response = await send(this.options.http, `${method.toUpperCase()} ${path}`, `${this.options.apiBaseUrl}${path}`, {
          method,
          headers,
          searchParams,
          ...(options.body === undefined ? {} : { json: options.body }),
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        if (!(signal?.aborted ?? false)) countFortnoxRequest(this.options.tenant, 'network');
        throw error;
      }
      countFortnoxRequest(this.options.tenant, response.status);
      return { response, token: bearer };
    }, signal);
  }
}

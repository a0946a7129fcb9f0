import ky, { TimeoutError, type KyInstance, type Options } from 'ky';
import { FortnoxApiError, FortnoxNetworkError, FortnoxRateLimitError, FortnoxTimeoutError } from './errors.js';
import { FORTNOX_RATE_LIMIT } from './rate-limiter.js';

/** How long one Fortnox call may take before it counts as lost. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A ky instance that leaves every decision to us: no retries (Temporal's retry policy is the one retry layer,
 * and a blindly retried POST can create a second invoice) and no throwing on HTTP errors.
 */
export function createHttp(options: { timeoutMs: number; fetch?: typeof fetch }): KyInstance {
  return ky.create({
    retry: 0,
    throwHttpErrors: false,
    timeout: options.timeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/**
 * Sends one request and returns Fortnox's answer whatever its status, turning the absence of an answer into
 * {@link FortnoxTimeoutError} or {@link FortnoxNetworkError}.
 */
export async function send(http: KyInstance, request: string, url: string, options: Options): Promise<Response> {
  try {
    return await http(url, options);
  } catch (error) {
    if (error instanceof TimeoutError) throw new FortnoxTimeoutError(request, Number(options.timeout ?? DEFAULT_TIMEOUT_MS));
    throw new FortnoxNetworkError(request, { cause: error });
  }
}

export interface ErrorBody {
  /** `ErrorInformation.Code`. */
  code: number | undefined;
  message: string | undefined;
  /** The OAuth error (`invalid_grant`, `invalid_client`) of a token-endpoint answer. */
  oauthError: string | undefined;
}

/**
 * Fortnox's error bodies: `ErrorInformation` with keys in either case, a bare `{ message }`, an OAuth
 * `{ error, error_description }`, or anything else (a gateway's HTML page).
 */
export function parseErrorBody(text: string): ErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: undefined, message: text.trim() === '' ? undefined : text.trim().slice(0, 500), oauthError: undefined };
  }
  const record = lowerCaseKeys(body);
  const info = lowerCaseKeys(record?.errorinformation) ?? record;
  const code = Number(info?.code);
  const message = info?.message ?? info?.error_description ?? record?.error;
  return {
    code: Number.isFinite(code) && code > 0 ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
    oauthError: typeof record?.error === 'string' ? record.error : undefined,
  };
}

function lowerCaseKeys(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), inner]));
}

/** The error for a non-2xx answer, built in one place. */
export async function errorFromResponse(request: string, response: Response): Promise<FortnoxApiError> {
  const { code, message } = parseErrorBody(await response.text());
  const text = message ?? (response.statusText || `HTTP ${response.status}`);
  if (response.status === 429) return new FortnoxRateLimitError(request, text, FORTNOX_RATE_LIMIT.windowMs);
  return new FortnoxApiError(request, response.status, code, text);
}

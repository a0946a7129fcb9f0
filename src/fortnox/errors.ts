import { describeNetworkCause } from '../http/network-errors.js';

/**
 * The one error family for Fortnox. Every failure of a Fortnox call ends up as one of these, and
 * {@link classifyFortnoxError} is the one place that decides what happens next.
 */
export abstract class FortnoxError extends Error {
  /** HTTP method and path of the call that failed, e.g. `POST /3/invoices`. */
  abstract readonly request: string;
}

/** Fortnox answered with an HTTP error status. */
export class FortnoxApiError extends FortnoxError {
  override readonly name: string = 'FortnoxApiError';
  constructor(
    readonly request: string,
    readonly status: number,
    /** Fortnox's error code (`ErrorInformation.Code`), when the body had one. */
    readonly code: number | undefined,
    /** Fortnox's message, usually Swedish, or the HTTP status text. */
    readonly fortnoxMessage: string,
  ) {
    super(`Fortnox ${request} failed with HTTP ${status}${code === undefined ? '' : ` (code ${code})`}: ${fortnoxMessage}`);
  }
}

/** HTTP 429: over Fortnox's 25 requests per 5 s. Fortnox sends no Retry-After, so the delay is one full window. */
export class FortnoxRateLimitError extends FortnoxApiError {
  override readonly name = 'FortnoxRateLimitError';
  constructor(
    request: string,
    fortnoxMessage: string,
    readonly retryAfterMs: number,
  ) {
    super(request, 429, undefined, fortnoxMessage);
  }
}

/** The request never got an HTTP answer: refused, reset or dropped connection, DNS failure. */
export class FortnoxNetworkError extends FortnoxError {
  override readonly name = 'FortnoxNetworkError';
  constructor(
    readonly request: string,
    options: { cause: unknown },
  ) {
    super(`Fortnox ${request}: no answer (${describeNetworkCause(options.cause)})`, options);
  }
}

/**
 * The call was not made: the caller's guard refused it (a step answered from cache alone, which must not reach
 * Fortnox). Nothing was sent, so nothing can have been carried out.
 */
export class FortnoxCallRefusedError extends FortnoxError {
  override readonly name = 'FortnoxCallRefusedError';
  constructor(
    readonly request: string,
    reason: string,
  ) {
    super(`Fortnox ${request} not sent: ${reason}`);
  }
}

/** No answer within the client's timeout. The request may still have been carried out. */
export class FortnoxTimeoutError extends FortnoxError {
  override readonly name = 'FortnoxTimeoutError';
  constructor(
    readonly request: string,
    readonly timeoutMs: number,
  ) {
    super(`Fortnox ${request}: no answer within ${timeoutMs} ms`);
  }
}

/** Fortnox answered 2xx with a body that is not what the API documents (a gateway page, a truncated body). */
export class FortnoxUnexpectedResponseError extends FortnoxError {
  override readonly name = 'FortnoxUnexpectedResponseError';
  constructor(
    readonly request: string,
    detail: string,
  ) {
    super(`Fortnox ${request}: unexpected response: ${detail}`);
  }
}

/** The command that gives the integration access to a tenant's Fortnox company again. */
export function authorizeCommand(tenant: string, serviceAccount: boolean): string {
  return `npm run authorize -- --tenant ${tenant}${serviceAccount ? ' --service-account' : ''}`;
}

/**
 * The integration's access to a Fortnox company is gone: the refresh token was used or expired (`invalid_grant`),
 * consent was revoked, or the client credentials were refused. Only a person can fix it, by authorising again.
 */
export class FortnoxReauthorisationRequiredError extends FortnoxError {
  override readonly name = 'FortnoxReauthorisationRequiredError';
  constructor(
    readonly request: string,
    readonly tenant: string,
    readonly reason: string,
    /** The tenant uses a service account (client credentials): consent must be given again as a service account. */
    readonly serviceAccount = false,
  ) {
    super(
      `Fortnox needs to be re-authorised for tenant ${tenant} (${reason}). ` +
        `A Fortnox administrator of that company must approve the integration again: \`${authorizeCommand(tenant, serviceAccount)}\`.`,
    );
  }
}

/**
 * Fortnox refused a freshly issued access token, but the token had run out by our clock before the answer came (a
 * slow request, or a very short token lifetime): a timing problem that the next attempt does not have.
 */
export class FortnoxTokenExpiredError extends FortnoxError {
  override readonly name = 'FortnoxTokenExpiredError';
  constructor(readonly request: string) {
    super(`Fortnox ${request}: the access token expired while the request was under way`);
  }
}

/** We were about to send Fortnox something it would reject: caught before the call, with the fields named. */
export class FortnoxRequestInvalidError extends FortnoxError {
  override readonly name = 'FortnoxRequestInvalidError';
  constructor(
    readonly request: string,
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(`Fortnox ${request} not sent: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
  }
}

export type FortnoxErrorClass =
  | { kind: 'retryable'; retryAfterMs?: number }
  | { kind: 'permanent' }
  | { kind: 'reauthorise' };

/**
 * Decides what a failed Fortnox call means: worth retrying (429, 5xx, network, timeout, a garbled answer), a
 * problem in the data that retrying cannot fix (validation, not found), or lost access that a person must restore.
 */
export function classifyFortnoxError(error: unknown): FortnoxErrorClass {
  if (error instanceof FortnoxReauthorisationRequiredError) return { kind: 'reauthorise' };
  if (error instanceof FortnoxRateLimitError) return { kind: 'retryable', retryAfterMs: error.retryAfterMs };
  if (error instanceof FortnoxApiError) {
    if (error.status >= 500 || error.status === 408) return { kind: 'retryable' };
    return { kind: 'permanent' };
  }
  if (
    error instanceof FortnoxNetworkError ||
    error instanceof FortnoxTimeoutError ||
    error instanceof FortnoxUnexpectedResponseError ||
    error instanceof FortnoxTokenExpiredError
  ) {
    return { kind: 'retryable' };
  }
  return { kind: 'permanent' };
}

import ky, { TimeoutError } from 'ky';
import { fieldProblems, type FieldProblem } from './invoice-contract.js';
import { signSummaRequest } from './signature.js';
import { summaWriteBackSchema, type SummaWriteBack } from './write-back.js';
import { describeNetworkCause } from '../http/network-errors.js';

/*
 * The write-back: tells Summa how an invoice's transfer ended, with `PUT <baseUrl>/invoices/<invoiceId>/fortnox`,
 * signed like Summa's own hook calls (see signature.ts). One attempt per call: Temporal's retry policy is the one
 * retry layer, and `classifySummaCallbackError` tells it whether another attempt can help.
 */


export type SummaCallbackFailure =
  /** Summa answered with an HTTP error status (`status`). */
  | 'http'
  /** No answer: refused, reset or dropped connection, DNS failure. */
  | 'network'
  /** No answer within the timeout. Summa may still have recorded the update (it is idempotent). */
  | 'timeout'
  /** The update broke the contract and was not sent (`problems`). */
  | 'invalidUpdate'
  /** No secret is configured for the tenant, so the request could not be signed. */
  | 'missingSecret';

/** The one error of the write-back; `reason` says which failure it is. */
export class SummaCallbackError extends Error {
  override readonly name = 'SummaCallbackError';
  /** Summa's HTTP status, for reason `http`. */
  readonly status: number | undefined;
  /** What broke the contract, for reason `invalidUpdate`. */
  readonly problems: readonly FieldProblem[];

  constructor(
    readonly reason: SummaCallbackFailure,
    /** Method and path, e.g. `PUT /invoices/F-1001/fortnox`. */
    readonly request: string,
    message: string,
    extra: { status?: number; problems?: readonly FieldProblem[]; cause?: unknown } = {},
  ) {
    super(message, 'cause' in extra ? { cause: extra.cause } : undefined);
    this.status = extra.status;
    this.problems = extra.problems ?? [];
  }
}

/**
 * Whether another attempt can help: yes for Summa being down or busy (5xx, 408, 429), no answer, or a timeout;
 * no for a refused request (other 4xx: a wrong secret, an invoice Summa does not know), a contract violation or a
 * missing secret, which a person must fix first. Anything else is treated as permanent.
 */
export function classifySummaCallbackError(error: unknown): 'retryable' | 'permanent' {
  if (!(error instanceof SummaCallbackError)) return 'permanent';
  switch (error.reason) {
    case 'network':
    case 'timeout':
      return 'retryable';
    case 'http': {
      const status = error.status ?? 0;
      return status >= 500 || status === 408 || status === 429 ? 'retryable' : 'permanent';
    }
    case 'invalidUpdate':
    case 'missingSecret':
      return 'permanent';
  }
}

export interface SummaCallbackClientOptions {
  /** Summa's API base, e.g. `https://summa.example.se/api`; the sandbox's URL in demo mode and tests. */
  baseUrl: string;
  /** The tenant's shared HMAC secret (the same one Summa signs its hook calls with). */
  secretFor: (tenant: string) => string;
  /** How long one call may take, in milliseconds; default 10 000. */
  timeoutMs?: number;
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  fetch?: typeof fetch;
}

export interface SummaCallbackClient {
  /** Tells Summa the transfer's outcome. Resolves when Summa accepted it (any 2xx); throws {@link SummaCallbackError}. */
  reportTransfer(update: SummaWriteBack): Promise<void>;
}

export function createSummaCallbackClient(options: SummaCallbackClientOptions): SummaCallbackClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const http = ky.create({
    retry: 0,
    throwHttpErrors: false,
    timeout: timeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });

  return {
    async reportTransfer(update) {
      const path = `/invoices/${encodeURIComponent(String(update.invoiceId))}/fortnox`;
      const request = `PUT ${path}`;
      const parsed = summaWriteBackSchema.safeParse(update);
      if (!parsed.success) {
        const problems = fieldProblems(parsed.error);
        const where = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
        throw new SummaCallbackError('invalidUpdate', request, `Summa ${request} not sent: ${where}`, { problems });
      }
      const body = JSON.stringify(parsed.data);
      const noSecret = `Summa ${request} not sent: no secret is configured for tenant ${parsed.data.tenant}`;
      let secret: string;
      try {
        secret = options.secretFor(parsed.data.tenant);
      } catch (error) {
        throw new SummaCallbackError('missingSecret', request, noSecret, { cause: error });
      }
      if (secret === '') throw new SummaCallbackError('missingSecret', request, noSecret);
      // Signed for this method and target as Summa's server sees them (SUMMA_URL's own path included), with a v1 entry
      // beside v2 while Summa's side may still verify v1 only (src/summa/signature.ts).
      const target = new URL(`${baseUrl}${path}`);
      const headers = {
        'Content-Type': 'application/json',
        ...signSummaRequest(secret, { method: 'PUT', path: `${target.pathname}${target.search}`, body }, { nowSeconds: Math.floor(now() / 1000), legacyV1: true }),
      };

      let response: Response;
      try {
        response = await http.put(`${baseUrl}${path}`, { body, headers });
      } catch (error) {
        if (error instanceof TimeoutError) {
          throw new SummaCallbackError('timeout', request, `Summa ${request}: no answer within ${timeoutMs} ms`, { cause: error });
        }
        throw new SummaCallbackError('network', request, `Summa ${request}: no answer (${describeNetworkCause(error)})`, { cause: error });
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const detail = (await response.text().catch(() => '')).trim().slice(0, 300);
      throw new SummaCallbackError('http', request, `Summa ${request} failed with HTTP ${response.status}${detail === '' ? '' : `: ${detail}`}`, {
        status: response.status,
      });
    },
  };
}

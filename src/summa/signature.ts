import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The signature scheme for both directions between Summa and us: Summa's hook calls to us, and our write-back
 * calls to Summa. Each request carries
 *
 *   X-Summa-Timestamp: <unix seconds>
 *   X-Summa-Signature: v2=<hex HMAC-SHA256(secret, timestamp "\n" METHOD "\n" path "\n" raw body)>
 *
 * `path` is the request target exactly as sent on the request line: the path with its query string
 * (`/hooks/summa/invoices/demo/F-1?x=1`). Method and path are inside the MAC, so a signature is good for one request
 * only: a captured signed GET of one invoice cannot read another invoice, another tenant's, or be sent as a POST.
 * The separators are newlines because neither a method nor a request target can hold one, so no two requests give
 * the same signed text. The timestamp is inside the MAC so a captured request cannot be replayed outside the
 * tolerance window; the raw body bytes (not a re-serialisation) are signed so both sides agree whatever their JSON
 * libraries do.
 *
 * v1 (deprecated) was HMAC(secret, timestamp "." raw body): it binds neither method nor path. Verifiers accept it
 * only where told to (`acceptV1`): for POST and PUT bodies, which name the tenant and invoice themselves, so a v1
 * signature cannot be moved to another invoice. A GET (empty body) never accepts v1. Senders may add a v1 entry
 * beside v2 (`legacyV1`) while the other side still verifies v1 only; v1 verifiers ignore entries of other schemes.
 *
 * Secret rotation: the signature header may hold several comma-separated entries, e.g.
 * `v2=<sig with new secret>,v2=<sig with old secret>`. The request is accepted when any entry of an accepted scheme
 * matches, so a sender can sign with both secrets while the receiver is switched over. Entries of schemes this
 * verifier does not know are ignored, so a future scheme can be sent beside these without breaking it.
 */

export const SUMMA_TIMESTAMP_HEADER = 'X-Summa-Timestamp';
export const SUMMA_SIGNATURE_HEADER = 'X-Summa-Signature';
/**
 * Which tenant a POST to the hook is for. The receiver picks the tenant's secret from it and checks the signature
 * before it parses the body, so a request whose signature fails costs no JSON parse; the body must then name the
 * same tenant. (A GET names its tenant in the path.)
 */
export const SUMMA_TENANT_HEADER = 'X-Summa-Tenant';

/** How far a request's timestamp may be from our clock, either way, in seconds. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** X-Summa-Timestamp and X-Summa-Signature, and X-Summa-Tenant when asked for. */
export type SummaSignatureHeaders = Record<string, string>;

export type SignatureFailureReason = 'missing' | 'malformed' | 'expired' | 'mismatch';
export type SignatureCheck = { ok: true; scheme: 'v1' | 'v2' } | { ok: false; reason: SignatureFailureReason };

const TIMESTAMP = /^\d{1,12}$/;
const HEX_MAC = /^[0-9a-f]{64}$/i;
const ENTRY = /^([a-z0-9]+)=(.*)$/i;

function currentUnixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** What a signature binds: one request. */
export interface SignedRequest {
  method: string;
  /** The request target as sent on the request line: path and query string. */
  path: string;
  /** The body exactly as sent (empty for a GET). */
  body: string | Buffer;
}

function macV2(secret: string, timestamp: string, request: SignedRequest): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}\n${request.method.toUpperCase()}\n${request.path}\n`).update(request.body).digest();
}

function macV1(secret: string, timestamp: string, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * The headers that sign `request` (exactly the method, target and bytes that will be sent) with `secret`.
 * `legacyV1` adds a deprecated v1 entry for a receiver that verifies v1 only (never for a GET, which v1 cannot bind);
 * `tenant` adds the X-Summa-Tenant header a POST to the hook names its tenant with.
 */
export function signSummaRequest(
  secret: string,
  request: SignedRequest,
  options: { nowSeconds?: number; legacyV1?: boolean; tenant?: string } = {},
): SummaSignatureHeaders {
  // An empty key gives a MAC anyone can compute: a configuration mistake that must not look like security.
  if (secret === '') throw new Error('Cannot sign a Summa request with an empty secret');
  const timestamp = String(Math.floor(options.nowSeconds ?? currentUnixSeconds()));
  const entries = [`v2=${macV2(secret, timestamp, request).toString('hex')}`];
  if (options.legacyV1 === true && request.method.toUpperCase() !== 'GET') entries.push(`v1=${macV1(secret, timestamp, request.body).toString('hex')}`);
  return {
    [SUMMA_TIMESTAMP_HEADER]: timestamp,
    [SUMMA_SIGNATURE_HEADER]: entries.join(','),
    ...(options.tenant === undefined ? {} : { [SUMMA_TENANT_HEADER]: options.tenant }),
  };
}

export interface VerifySummaSignatureOptions {
  /** The tenant's shared secret. An empty secret never verifies. */
  secret: string;
  /** The request as received: method, target (`request.url`: path and query) and raw body (empty for a GET). */
  request: { method: string; path: string; body: Buffer };
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  /** Whether the deprecated v1 scheme (body only) is accepted too; never for a GET. Default false. */
  acceptV1?: boolean;
  /** Our clock, in unix seconds; default now. */
  nowSeconds?: number;
  /** Largest accepted difference between the request's timestamp and our clock, in seconds; default 300. */
  toleranceSeconds?: number;
}

/**
 * Checks a request's signature. The signature is checked before the timestamp's age, so `expired` means "signed
 * with the right secret, but too old or too far ahead" (a replay or a skewed clock), and `mismatch` means the
 * wrong secret, altered bytes, or a signature made for another request (method or path). `scheme` says which
 * scheme matched, so a receiver can log senders still on v1.
 */
export function verifySummaSignature(options: VerifySummaSignatureOptions): SignatureCheck {
  const { secret, request, timestampHeader, signatureHeader } = options;
  if (timestampHeader === undefined || timestampHeader.trim() === '' || signatureHeader === undefined || signatureHeader.trim() === '') {
    return { ok: false, reason: 'missing' };
  }
  const timestamp = timestampHeader.trim();
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed' };
  const acceptV1 = options.acceptV1 === true && request.method.toUpperCase() !== 'GET';

  const candidates: { scheme: 'v1' | 'v2'; value: Buffer }[] = [];
  for (const entry of signatureHeader.split(',')) {
    const match = ENTRY.exec(entry.trim());
    if (match === null) return { ok: false, reason: 'malformed' };
    const [, schemeText, value] = match;
    const scheme = schemeText?.toLowerCase();
    if (scheme !== 'v2' && !(scheme === 'v1' && acceptV1)) continue;
    if (value === undefined || !HEX_MAC.test(value)) return { ok: false, reason: 'malformed' };
    candidates.push({ scheme, value: Buffer.from(value, 'hex') });
  }
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };

  if (secret === '') return { ok: false, reason: 'mismatch' };
  const expected = { v2: macV2(secret, timestamp, request), v1: acceptV1 ? macV1(secret, timestamp, request.body) : undefined };
  // Every candidate is compared (no early exit), each in constant time; lengths first, as timingSafeEqual requires.
  let matched: 'v1' | 'v2' | undefined;
  for (const candidate of candidates) {
    const mac = expected[candidate.scheme];
    if (mac !== undefined && candidate.value.length === mac.length && timingSafeEqual(candidate.value, mac)) matched = matched === 'v2' ? 'v2' : candidate.scheme;
  }
  if (matched === undefined) return { ok: false, reason: 'mismatch' };

  const now = options.nowSeconds ?? currentUnixSeconds();
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: 'expired' };
  return { ok: true, scheme: matched };
}

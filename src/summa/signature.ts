import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The signature scheme for both directions between Summa and us: Summa's hook calls to us, and our write-back
 * calls to Summa. Each request carries
 *
 *   X-Summa-Timestamp: <unix seconds>
 *   X-Summa-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
 *
 * The timestamp is inside the MAC so a captured request cannot be replayed outside the tolerance window; the raw
 * body bytes (not a re-serialisation) are signed so both sides agree whatever their JSON libraries do.
 *
 * Secret rotation: the signature header may hold several comma-separated entries, e.g.
 * `v1=<sig with new secret>,v1=<sig with old secret>`. The request is accepted when any `v1` entry matches, so a
 * sender can sign with both secrets while the receiver is switched over. Entries of other schemes (`v2=…`) are
 * ignored, so a future scheme can be sent beside v1 without breaking this verifier.
 */

export const SUMMA_TIMESTAMP_HEADER = 'X-Summa-Timestamp';
export const SUMMA_SIGNATURE_HEADER = 'X-Summa-Signature';

/** How far a request's timestamp may be from our clock, either way, in seconds. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface SummaSignatureHeaders {
  'X-Summa-Timestamp': string;
  'X-Summa-Signature': string;
}

export type SignatureFailureReason = 'missing' | 'malformed' | 'expired' | 'mismatch';
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailureReason };

const TIMESTAMP = /^\d{1,12}$/;
const V1_VALUE = /^[0-9a-f]{64}$/i;
const ENTRY = /^([a-z0-9]+)=(.*)$/i;

function currentUnixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function mac(secret: string, timestamp: string, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * The headers that sign `rawBody` (exactly the bytes that will be sent) with `secret`.
 * @param nowSeconds the timestamp to sign with, in unix seconds; default now.
 */
export function signSummaRequest(secret: string, rawBody: string | Buffer, nowSeconds: number = currentUnixSeconds()): SummaSignatureHeaders {
  // An empty key gives a MAC anyone can compute: a configuration mistake that must not look like security.
  if (secret === '') throw new Error('Cannot sign a Summa request with an empty secret');
  const timestamp = String(Math.floor(nowSeconds));
  return {
    [SUMMA_TIMESTAMP_HEADER]: timestamp,
    [SUMMA_SIGNATURE_HEADER]: `v1=${mac(secret, timestamp, rawBody).toString('hex')}`,
  };
}

export interface VerifySummaSignatureOptions {
  /** The tenant's shared secret. An empty secret never verifies. */
  secret: string;
  /** The body exactly as received (empty for a GET). */
  rawBody: Buffer;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  /** Our clock, in unix seconds; default now. */
  nowSeconds?: number;
  /** Largest accepted difference between the request's timestamp and our clock, in seconds; default 300. */
  toleranceSeconds?: number;
}

/**
 * Checks a request's signature. The signature is checked before the timestamp's age, so `expired` means "signed
 * with the right secret, but too old or too far ahead" (a replay or a skewed clock), and `mismatch` means the
 * wrong secret or altered bytes.
 */
export function verifySummaSignature(options: VerifySummaSignatureOptions): SignatureCheck {
  const { secret, rawBody, timestampHeader, signatureHeader } = options;
  if (timestampHeader === undefined || timestampHeader.trim() === '' || signatureHeader === undefined || signatureHeader.trim() === '') {
    return { ok: false, reason: 'missing' };
  }
  const timestamp = timestampHeader.trim();
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed' };

  const candidates: Buffer[] = [];
  for (const entry of signatureHeader.split(',')) {
    const match = ENTRY.exec(entry.trim());
    if (match === null) return { ok: false, reason: 'malformed' };
    const [, scheme, value] = match;
    if (scheme?.toLowerCase() !== 'v1') continue;
    if (value === undefined || !V1_VALUE.test(value)) return { ok: false, reason: 'malformed' };
    candidates.push(Buffer.from(value, 'hex'));
  }
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };

  if (secret === '') return { ok: false, reason: 'mismatch' };
  const expected = mac(secret, timestamp, rawBody);
  // Every candidate is compared (no early exit), each in constant time; lengths first, as timingSafeEqual requires.
  let matched = false;
  for (const candidate of candidates) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'mismatch' };

  const now = options.nowSeconds ?? currentUnixSeconds();
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: 'expired' };
  return { ok: true };
}

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSummaRequest, verifySummaSignature, type VerifySummaSignatureOptions } from '../../src/summa/signature.js';

const secret = 'demo-secret';
const now = 1_790_000_000;
const body = '{"tenant":"demo","invoiceId":"F-1","customer":"Åkessons Tryckeri AB"}';

/** Verifies `rawBody` with the headers `signSummaRequest` made, overriding whatever the case needs. */
function verify(overrides: Partial<VerifySummaSignatureOptions> = {}, signed = signSummaRequest(secret, body, now)) {
  return verifySummaSignature({
    secret,
    rawBody: Buffer.from(body),
    timestampHeader: signed['X-Summa-Timestamp'],
    signatureHeader: signed['X-Summa-Signature'],
    nowSeconds: now,
    ...overrides,
  });
}

describe('Summa request signatures', () => {
  it('signs HMAC-SHA256 over "timestamp.body" as v1=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signSummaRequest(secret, body, now)).toEqual({ 'X-Summa-Timestamp': String(now), 'X-Summa-Signature': `v1=${expected}` });
  });

  it('accepts a request signed with the same secret', () => {
    expect(verify()).toEqual({ ok: true });
  });

  it('signs the bytes, so a Buffer and its UTF-8 string give the same signature', () => {
    expect(signSummaRequest(secret, Buffer.from(body, 'utf8'), now)).toEqual(signSummaRequest(secret, body, now));
  });

  it('verifies bodies that are not valid UTF-8 byte for byte', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(verify({ rawBody: bytes }, signSummaRequest(secret, bytes, now))).toEqual({ ok: true });
    expect(verify({ rawBody: Buffer.from([0x7b, 0xff, 0xfd, 0x7d]) }, signSummaRequest(secret, bytes, now))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['no timestamp', { timestampHeader: undefined }],
    ['no signature', { signatureHeader: undefined }],
    ['an empty signature', { signatureHeader: ' ' }],
  ])('reports %s as missing', (_case, overrides) => {
    expect(verify(overrides)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['a timestamp that is not unix seconds', { timestampHeader: '2026-11-16T10:00:00Z' }],
    ['a negative timestamp', { timestampHeader: '-5' }],
    ['a signature without a scheme', { signatureHeader: 'abcdef' }],
    ['a v1 value that is not 64 hex digits', { signatureHeader: `v1=${'a'.repeat(63)}` }],
    ['a v1 value with non-hex characters', { signatureHeader: `v1=${'g'.repeat(64)}` }],
    ['only signatures of other schemes', { signatureHeader: `v2=${'a'.repeat(64)}` }],
  ])('reports %s as malformed', (_case, overrides) => {
    expect(verify(overrides)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['another secret', { secret: 'other-secret' }],
    ['an altered body', { rawBody: Buffer.from(body.replace('F-1', 'F-2')) }],
    ['an altered timestamp', { timestampHeader: String(now + 1) }],
  ])('reports a signature checked with %s as a mismatch', (_case, overrides) => {
    expect(verify(overrides)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('never accepts anything with an empty secret, and refuses to sign with one', () => {
    const signature = `v1=${createHmac('sha256', '').update(`${now}.${body}`).digest('hex')}`;
    expect(verify({ secret: '', signatureHeader: signature })).toEqual({ ok: false, reason: 'mismatch' });
    expect(() => signSummaRequest('', body, now)).toThrow('empty secret');
  });

  it('reports a correctly signed request older or newer than the tolerance as expired', () => {
    expect(verify({ nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ nowSeconds: now - 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ nowSeconds: now + 300 })).toEqual({ ok: true });
    expect(verify({ nowSeconds: now + 60, toleranceSeconds: 30 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts any one of several comma-separated v1 signatures, for secret rotation', () => {
    const signedNew = signSummaRequest('new-secret', body, now)['X-Summa-Signature'];
    const signedOld = signSummaRequest('old-secret', body, now)['X-Summa-Signature'];
    const both = `${signedNew}, ${signedOld}`;
    expect(verify({ secret: 'old-secret', signatureHeader: both })).toEqual({ ok: true });
    expect(verify({ secret: 'new-secret', signatureHeader: both })).toEqual({ ok: true });
    expect(verify({ secret: 'third-secret', signatureHeader: both })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('ignores signatures of schemes it does not know beside a v1 signature', () => {
    const signed = signSummaRequest(secret, body, now)['X-Summa-Signature'];
    expect(verify({ signatureHeader: `v2=${'0'.repeat(64)},${signed}` })).toEqual({ ok: true });
  });
});

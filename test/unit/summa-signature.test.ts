import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSummaRequest, verifySummaSignature, type SignedRequest, type VerifySummaSignatureOptions } from '../../src/summa/signature.js';

const secret = 'demo-secret';
const now = 1_790_000_000;
const body = '{"tenant":"demo","invoiceId":"F-1","customer":"Åkessons Tryckeri AB"}';
const request: SignedRequest = { method: 'POST', path: '/hooks/summa/invoices', body };

const v2 = (key: string, at: number, method: string, path: string, raw: string | Buffer) =>
  createHmac('sha256', key).update(`${at}\n${method}\n${path}\n`).update(raw).digest('hex');
const v1 = (key: string, at: number, raw: string) => createHmac('sha256', key).update(`${at}.${raw}`).digest('hex');

/** Verifies `request` with the headers `signSummaRequest` made, overriding whatever the case needs. */
function verify(overrides: Partial<VerifySummaSignatureOptions> = {}, signed = signSummaRequest(secret, request, { nowSeconds: now })) {
  return verifySummaSignature({
    secret,
    request: { method: 'POST', path: '/hooks/summa/invoices', body: Buffer.from(body) },
    timestampHeader: signed['X-Summa-Timestamp'],
    signatureHeader: signed['X-Summa-Signature'],
    nowSeconds: now,
    ...overrides,
  });
}

describe('Summa request signatures', () => {
  it('signs HMAC-SHA256 over timestamp, method, path and body, newline-separated, as v2=<hex>', () => {
    expect(signSummaRequest(secret, request, { nowSeconds: now })).toEqual({
      'X-Summa-Timestamp': String(now),
      'X-Summa-Signature': `v2=${v2(secret, now, 'POST', '/hooks/summa/invoices', body)}`,
    });
  });

  it('adds the tenant header and, when asked, a deprecated v1 entry (never for a GET)', () => {
    const signed = signSummaRequest(secret, request, { nowSeconds: now, legacyV1: true, tenant: 'demo' });
    expect(signed['X-Summa-Signature']).toBe(`v2=${v2(secret, now, 'POST', '/hooks/summa/invoices', body)},v1=${v1(secret, now, body)}`);
    expect(signed['X-Summa-Tenant']).toBe('demo');
    const get = signSummaRequest(secret, { method: 'GET', path: '/x', body: '' }, { nowSeconds: now, legacyV1: true });
    expect(get['X-Summa-Signature']).not.toContain('v1=');
  });

  it('accepts a request signed with the same secret for the same request, saying which scheme', () => {
    expect(verify()).toEqual({ ok: true, scheme: 'v2' });
  });

  it.each([
    ['another path', { path: '/hooks/summa/exports' }],
    ['another query string', { path: '/hooks/summa/invoices?tenant=other' }],
    ['another method', { method: 'PUT' }],
  ])('refuses the signature for %s as a mismatch', (_case, change) => {
    expect(verify({ request: { method: 'POST', path: '/hooks/summa/invoices', body: Buffer.from(body), ...change } })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('cannot be moved between path and body (the separators cannot occur in a method or a request target)', () => {
    const signed = signSummaRequest(secret, { method: 'GET', path: '/a.b', body: '' }, { nowSeconds: now });
    expect(verify({ request: { method: 'GET', path: '/a', body: Buffer.from('.b') } }, signed)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('signs the bytes, so a Buffer and its UTF-8 string give the same signature', () => {
    expect(signSummaRequest(secret, { ...request, body: Buffer.from(body, 'utf8') }, { nowSeconds: now })).toEqual(signSummaRequest(secret, request, { nowSeconds: now }));
  });

  it('verifies bodies that are not valid UTF-8 byte for byte', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signed = signSummaRequest(secret, { ...request, body: bytes }, { nowSeconds: now });
    expect(verify({ request: { ...request, body: bytes } }, signed)).toEqual({ ok: true, scheme: 'v2' });
    expect(verify({ request: { ...request, body: Buffer.from([0x7b, 0xff, 0xfd, 0x7d]) } }, signed)).toEqual({ ok: false, reason: 'mismatch' });
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
    ['a v2 value that is not 64 hex digits', { signatureHeader: `v2=${'a'.repeat(63)}` }],
    ['a v2 value with non-hex characters', { signatureHeader: `v2=${'g'.repeat(64)}` }],
    ['only signatures of other schemes', { signatureHeader: `v3=${'a'.repeat(64)}` }],
    ['only a v1 signature where v1 is not accepted', { signatureHeader: `v1=${v1(secret, now, body)}` }],
  ])('reports %s as malformed', (_case, overrides) => {
    expect(verify(overrides)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['another secret', { secret: 'other-secret' }],
    ['an altered body', { request: { ...request, body: Buffer.from(body.replace('F-1', 'F-2')) } }],
    ['an altered timestamp', { timestampHeader: String(now + 1) }],
  ])('reports a signature checked with %s as a mismatch', (_case, overrides) => {
    expect(verify(overrides)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts v1 (body only) only where told to, and never for a GET', () => {
    const signatureHeader = `v1=${v1(secret, now, body)}`;
    expect(verify({ signatureHeader, acceptV1: true })).toEqual({ ok: true, scheme: 'v1' });
    const get = `v1=${v1(secret, now, '')}`;
    expect(verify({ signatureHeader: get, acceptV1: true, request: { method: 'GET', path: '/hooks/summa/invoices/demo/F-1', body: Buffer.alloc(0) } })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('never accepts anything with an empty secret, and refuses to sign with one', () => {
    const signature = `v2=${v2('', now, 'POST', '/hooks/summa/invoices', body)}`;
    expect(verify({ secret: '', signatureHeader: signature })).toEqual({ ok: false, reason: 'mismatch' });
    expect(() => signSummaRequest('', request, { nowSeconds: now })).toThrow('empty secret');
  });

  it('reports a correctly signed request older or newer than the tolerance as expired', () => {
    expect(verify({ nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ nowSeconds: now - 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ nowSeconds: now + 300 })).toEqual({ ok: true, scheme: 'v2' });
    expect(verify({ nowSeconds: now + 60, toleranceSeconds: 30 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts any one of several comma-separated signatures, for secret rotation', () => {
    const signedNew = signSummaRequest('new-secret', request, { nowSeconds: now })['X-Summa-Signature'];
    const signedOld = signSummaRequest('old-secret', request, { nowSeconds: now })['X-Summa-Signature'];
    const both = `${signedNew}, ${signedOld}`;
    expect(verify({ secret: 'old-secret', signatureHeader: both })).toEqual({ ok: true, scheme: 'v2' });
    expect(verify({ secret: 'new-secret', signatureHeader: both })).toEqual({ ok: true, scheme: 'v2' });
    expect(verify({ secret: 'third-secret', signatureHeader: both })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('ignores signatures of schemes it does not know beside a v2 signature', () => {
    const signed = signSummaRequest(secret, request, { nowSeconds: now })['X-Summa-Signature'];
    expect(verify({ signatureHeader: `v9=${'0'.repeat(64)},${signed}` })).toEqual({ ok: true, scheme: 'v2' });
  });
});

import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCodecServer, tokensEqual, type CodecServer, type CodecServerLogEntry } from '../../src/codec/codec-server.js';
import { EncryptionCodec } from '../../src/codec/encryption-codec.js';
import { generatePayloadKey } from '../../src/codec/keys.js';
import { devServerArgs } from '../../src/temporal/dev-server.js';

const UI = 'http://127.0.0.1:8233';
const token = 'operator-token-0123456789abcdef';
const invoice = { customer: 'Zyxwvut Hemligtryck AB', rows: ['Konfidentiell broschyr'] };

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}
const asJson = (payload: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});
const valueOf = (payload: JsonPayload | undefined): unknown =>
  defaultPayloadConverter.fromPayload({
    metadata: Object.fromEntries(Object.entries(payload?.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload?.data ?? '', 'base64'),
  });

describe('the codec server for the Web UI, over real HTTP', () => {
  const key = generatePayloadKey();
  const codec = new EncryptionCodec([key]);
  const logged: CodecServerLogEntry[] = [];
  let server: CodecServer;
  let encrypted: JsonPayload;

  beforeAll(async () => {
    server = await startCodecServer({ codec, token, allowedOrigins: [UI], log: (entry) => logged.push(entry) });
    const [payload] = await codec.encode([defaultPayloadConverter.toPayload(invoice)]);
    encrypted = asJson(payload ?? {});
  });
  afterAll(async () => {
    await server.close();
  });

  /** A request as the Web UI sends it: JSON, with X-Namespace and the page's origin. */
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI, ...headers }, body: JSON.stringify(body) });

  it('listens on 127.0.0.1 by default and gives the UI an endpoint with the token as its path', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.uiEndpoint).toBe(`${server.url}/${token}`);
  });

  it('decodes for the UI: the token in the path, the UI origin allowed by CORS', async () => {
    expect(Buffer.from(encrypted.data, 'base64').toString('latin1')).not.toContain(invoice.customer);
    const response = await post(`${server.uiEndpoint}/decode`, { payloads: [encrypted] });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI);
    const body = (await response.json()) as { payloads: JsonPayload[] };
    expect(valueOf(body.payloads[0])).toEqual(invoice);
  });

  it('answers the browser preflight for the UI origin with what the UI sends', async () => {
    const response = await fetch(`${server.uiEndpoint}/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type.*x-namespace/);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('refuses any other origin with 403 and no CORS header, preflight or not, even with the right token', async () => {
    const other = 'http://evil.example';
    const preflight = await fetch(`${server.uiEndpoint}/decode`, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const response = await post(`${server.uiEndpoint}/decode`, { payloads: [encrypted] }, { origin: other });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.text()).not.toContain(invoice.customer);
    expect(logged.some((entry) => entry.reason === 'origin_not_allowed' && entry.origin === other)).toBe(true);
  });

  it('wants the token: 401 without one, 403 with a wrong one, in the path or as Bearer', async () => {
    const missing = await post(`${server.url}/decode`, { payloads: [encrypted] });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(`${server.url}/wrong-token-0123456789abcdef/decode`, { payloads: [encrypted] })).status).toBe(403);
    expect((await post(`${server.url}/decode`, { payloads: [encrypted] }, { authorization: 'Bearer wrong-token' })).status).toBe(403);
    const bearer = await post(`${server.url}/decode`, { payloads: [encrypted] }, { authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(200);
  });

  it('serves tools that send no origin (the CLI, curl) on the token alone', async () => {
    const response = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ payloads: [encrypted] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('encodes what the UI sends (a signal input) so the workers can read it', async () => {
    const plain = asJson(defaultPayloadConverter.toPayload({ reason: 'Makulerad' }));
    const encoded = (await (await post(`${server.uiEndpoint}/encode`, { payloads: [plain] })).json()) as { payloads: JsonPayload[] };
    expect(Buffer.from(encoded.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
    const decoded = (await (await post(`${server.uiEndpoint}/decode`, { payloads: encoded.payloads })).json()) as { payloads: JsonPayload[] };
    expect(valueOf(decoded.payloads[0])).toEqual({ reason: 'Makulerad' });
  });

  it('says which key is missing when a payload was written with one it does not have, without any data', async () => {
    const [other] = await new EncryptionCodec([{ ...generatePayloadKey(), id: 'retired-2024' }]).encode([defaultPayloadConverter.toPayload(invoice)]);
    const response = await post(`${server.uiEndpoint}/decode`, { payloads: [asJson(other ?? {})] });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text).toContain('key \\"retired-2024\\", which is not configured');
    expect(text).not.toContain(invoice.customer);
  });

  it('refuses bodies that are not payloads, other content types and other paths', async () => {
    expect((await post(`${server.uiEndpoint}/decode`, { nope: true })).status).toBe(400);
    expect((await fetch(`${server.uiEndpoint}/decode`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: UI }, body: '{}' })).status).toBe(415);
    expect((await post(`${server.uiEndpoint}/other`, { payloads: [] })).status).toBe(404);
    expect((await fetch(`${server.uiEndpoint}/decode`, { headers: { origin: UI } })).status).toBe(405);
  });

  it('compares tokens in constant time over digests, whatever their lengths', () => {
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(`${token}x`, token)).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
  });

  it('is what npm start gives the dev server as the Web UI codec endpoint', () => {
    const args = devServerArgs({ cli: 'temporal', port: 7233, uiPort: 8233, namespace: 'default', searchAttributes: [], uiCodecEndpoint: server.uiEndpoint });
    expect(args.join(' ')).toContain(`--ui-codec-endpoint ${server.uiEndpoint}`);
  });
});

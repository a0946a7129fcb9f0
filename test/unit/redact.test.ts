import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHookHandler } from '../../src/hook/app.js';
import { listen } from '../../src/http/listen.js';
import { describeForLog, redactingLogger, redactSecrets } from '../../src/log/redact.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import type { TransferService } from '../../src/transfer/index.js';
import { anInvoice } from '../helpers/invoices.js';

const secret = 'cs-7f3a9b2c4d5e6f708192a3b4';

describe('redactSecrets', () => {
  it.each([
    ['an OAuth form body', `grant_type=refresh_token&refresh_token=rt-9a8b7c6d&client_secret=${secret}&code=x`, ['rt-9a8b7c6d', secret]],
    ['a JSON token answer', '{"access_token":"eyJhbGciOi.J9.abc","refresh_token":"rt-1234567","expires_in":3600}', ['eyJhbGciOi', 'rt-1234567']],
    ['an Authorization header', 'headers: { Authorization: Bearer eyJ0eXAiOiJKV1Q.payload.sig }', ['eyJ0eXAiOiJKV1Q']],
    ['a Basic header', 'authorization: Basic Y2xpZW50OnNlY3JldA==', ['Y2xpZW50OnNlY3JldA==']],
    ["Fortnox's legacy headers", 'Access-Token: 1a2b3c4d-aaaa\nClient-Secret: zzzz9999yyyy', ['1a2b3c4d-aaaa', 'zzzz9999yyyy']],
    ["Summa's signature header", `X-Summa-Signature: v1=${'ab'.repeat(32)}`, ['ab'.repeat(32)]],
  ])('masks %s', (_name, text, hidden) => {
    const redacted = redactSecrets(text);
    for (const value of hidden) expect(redacted).not.toContain(value);
    expect(redacted).toContain('[redacted]');
    expect(redactSecrets(redacted)).toBe(redacted);
  });

  it('masks known secret values wherever they appear, and leaves ordinary text alone', () => {
    expect(redactSecrets(`Fortnox said: the secret ${secret} is wrong`, [secret])).toBe('Fortnox said: the secret [redacted] is wrong');
    const plain = 'Konto 3011 finns inte i Fortnox räkenskapsåret 2026-01-01–2026-12-31 (rad 2)';
    expect(redactSecrets(plain, [secret])).toBe(plain);
  });

  it('redacts messages and metadata, errors included, on their way through a Temporal logger', () => {
    const lines: LogEntry[] = [];
    const logger = redactingLogger(new DefaultLogger('TRACE', (entry) => lines.push(entry)), [secret]);
    const error = new Error(`token request failed: client_secret=${secret}`);
    logger.warn(`Activity failed with Authorization: Bearer abcdefgh1234`, { error, attempt: 3, nested: { clientSecret: 'x-y-z-1-2-3', text: `key ${secret}` } });
    const printable = (_key: string, value: unknown) =>
      value instanceof Error ? { message: value.message, stack: value.stack } : typeof value === 'bigint' ? String(value) : value;
    const printed = JSON.stringify(lines, printable);
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain('abcdefgh1234');
    expect(printed).not.toContain('x-y-z-1-2-3');
    expect(lines[0]?.meta).toMatchObject({ attempt: 3 });
    expect(describeForLog(error, [secret])).toBe('token request failed: client_secret=[redacted]');
  });
});

describe('the hook server log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs no secret when a failing dependency puts one into its error message', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => printed.push(parts.map(String).join(' ')));
    const failing = {
      transfer: () => Promise.reject(new Error(`upstream refused: Authorization: Bearer tok-55aa66bb77cc, body client_secret=${secret}`)),
    } as unknown as TransferService;
    const hookSecret = 'hook-secret-0123456789';
    const server = createServer((request: IncomingMessage, response: ServerResponse) => createHookHandler({ transfers: failing, secretFor: () => hookSecret })(request, response));
    const url = await listen(server, 0, '127.0.0.1');
    try {
      const body = JSON.stringify(anInvoice());
      const response = await fetch(`${url}/hooks/summa/invoices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signSummaRequest(hookSecret, { method: 'POST', path: '/hooks/summa/invoices', body }) },
        body,
      });
      expect(response.status).toBe(503);
    } finally {
      server.close();
    }
    const line = printed.find((text) => text.includes('serviceFailed'));
    expect(line).toContain('upstream refused');
    expect(line).not.toContain(secret);
    expect(line).not.toContain('tok-55aa66bb77cc');
    expect(line).toContain('[redacted]');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSummaSandbox, type SandboxSnapshot, type SummaSandbox } from '../../src/sandbox/summa/index.js';
import {
  classifySummaCallbackError,
  createSummaCallbackClient,
  SummaCallbackError,
  type SummaCallbackClient,
} from '../../src/summa/callback-client.js';
import type { SummaWriteBack } from '../../src/summa/write-back.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import { freePort } from '../../src/http/free-port.js';
import { failureOf } from '../helpers/failure-of.js';

const secrets: Record<string, string> = { demo: 'demo-secret', other: 'other-secret' };
const transferred: SummaWriteBack = { tenant: 'demo', invoiceId: 'F-24117', status: 'transferred', fortnoxInvoiceNumber: '1001' };


describe('Summa write-back against the Summa sandbox', () => {
  let sandbox: SummaSandbox;
  let summa: SummaCallbackClient;

  const control = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${sandbox.url}/sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };
  const state = async (tenant?: string) =>
    (await (await control('GET', `/state${tenant === undefined ? '' : `?tenant=${tenant}`}`)).json()) as SandboxSnapshot;

  beforeAll(async () => {
    sandbox = await startSummaSandbox({ secretFor: (tenant) => secrets[tenant] });
    summa = createSummaCallbackClient({ baseUrl: sandbox.url, secretFor: (tenant) => secrets[tenant] ?? '' });
  });
  beforeEach(async () => {
    await control('POST', '/reset');
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('delivers a transferred update, which Summa records with the time it arrived', async () => {
    await summa.reportTransfer(transferred);
    const { updates, invoices } = await state();
    expect(updates).toEqual([{ ...transferred, receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown }]);
    expect(invoices).toEqual({ 'demo/F-24117': updates[0] });
  });

  it('keeps every update and the latest status per invoice', async () => {
    const message = 'Konto 3011 finns inte i Fortnox räkenskapsår 2026 — lägg upp kontot och tryck Försök igen';
    await summa.reportTransfer({ tenant: 'demo', invoiceId: 'F-24117', status: 'needsAttention', message });
    await summa.reportTransfer(transferred);
    await summa.reportTransfer({ tenant: 'other', invoiceId: 'F-9', status: 'cancelled', message: 'Makulerad i Summa' });
    const all = await state();
    expect(all.updates.map((update) => update.status)).toEqual(['needsAttention', 'transferred', 'cancelled']);
    expect(all.updates[0]).toMatchObject({ message });
    expect(all.invoices['demo/F-24117']).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: '1001' });
    const demo = await state('demo');
    expect(demo.updates).toHaveLength(2);
    expect(Object.keys(demo.invoices)).toEqual(['demo/F-24117']);
  });

  it('is refused with 401 when signed with the wrong secret, a permanent failure', async () => {
    const wrong = createSummaCallbackClient({ baseUrl: sandbox.url, secretFor: () => 'not-the-secret' });
    const error = await failureOf(wrong.reportTransfer(transferred));
    expect(error).toBeInstanceOf(SummaCallbackError);
    expect(error).toMatchObject({ reason: 'http', status: 401, request: 'PUT /invoices/F-24117/fortnox' });
    expect((error as Error).message).toContain('"reason":"mismatch"');
    expect(classifySummaCallbackError(error)).toBe('permanent');
    expect((await state()).updates).toEqual([]);
  });

  it('is refused with 401 when its signature has expired (a clock far off), a permanent failure', async () => {
    const late = createSummaCallbackClient({ baseUrl: sandbox.url, secretFor: () => secrets.demo!, now: () => Date.now() - 3_600_000 });
    const error = await failureOf(late.reportTransfer(transferred));
    expect(error).toMatchObject({ reason: 'http', status: 401 });
    expect((error as Error).message).toContain('"reason":"expired"');
    expect(classifySummaCallbackError(error)).toBe('permanent');
  });

  it.each([500, 503, 429])('treats HTTP %i from a briefly unavailable Summa as retryable, and the next attempt succeeds', async (status) => {
    await control('POST', '/faults', { kind: 'status', status, count: 1 });
    const error = await failureOf(summa.reportTransfer(transferred));
    expect(error).toBeInstanceOf(SummaCallbackError);
    expect(error).toMatchObject({ reason: 'http', status });
    expect(classifySummaCallbackError(error)).toBe('retryable');
    await summa.reportTransfer(transferred);
    expect((await state()).updates).toHaveLength(1);
  });

  it('stops injecting faults when they are cleared', async () => {
    await control('POST', '/faults', { kind: 'status', status: 503, count: 5 });
    await control('DELETE', '/faults');
    await summa.reportTransfer(transferred);
    expect((await state()).updates).toHaveLength(1);
  });

  it.each([
    ['a transferred update without the Fortnox number', { tenant: 'demo', invoiceId: 'F-1', status: 'transferred' }, 'fortnoxInvoiceNumber'],
    ['a needsAttention update without a message', { tenant: 'demo', invoiceId: 'F-1', status: 'needsAttention' }, 'message'],
    ['an invoice id with a slash', { tenant: 'demo', invoiceId: '../F-1', status: 'cancelled' }, 'invoiceId'],
  ] satisfies [string, SummaWriteBack, string][])('does not send %s: a permanent invalidUpdate error naming the field', async (_case, update, field) => {
    const error = await failureOf(summa.reportTransfer(update));
    expect(error).toMatchObject({ reason: 'invalidUpdate', problems: [expect.objectContaining({ path: field })] });
    expect(classifySummaCallbackError(error)).toBe('permanent');
    expect((await state()).updates).toEqual([]);
  });

  it('fails permanently, without sending, when the tenant has no secret', async () => {
    const error = await failureOf(summa.reportTransfer({ ...transferred, tenant: 'unconfigured' }));
    expect(error).toMatchObject({ reason: 'missingSecret' });
    expect(classifySummaCallbackError(error)).toBe('permanent');
  });

  it('reports a Summa that does not answer at all as a retryable network error', async () => {
    const nobody = createSummaCallbackClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, secretFor: () => secrets.demo! });
    const error = await failureOf(nobody.reportTransfer(transferred));
    expect(error).toMatchObject({ reason: 'network' });
    expect(classifySummaCallbackError(error)).toBe('retryable');
  });

  it('gives up on a Summa that answers too slowly with a retryable timeout', async () => {
    const silent: Server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = createSummaCallbackClient({
        baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        secretFor: () => secrets.demo!,
        timeoutMs: 200,
      });
      const error = await failureOf(slow.reportTransfer(transferred));
      expect(error).toMatchObject({ reason: 'timeout', message: 'Summa PUT /invoices/F-24117/fortnox: no answer within 200 ms' });
      expect(classifySummaCallbackError(error)).toBe('retryable');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('classifies errors that are not write-back errors as permanent', () => {
    expect(classifySummaCallbackError(new Error('boom'))).toBe('permanent');
  });

  describe('the sandbox itself', () => {
    const put = (invoiceId: string, body: string, headers: Record<string, string>) =>
      fetch(`${sandbox.url}/invoices/${invoiceId}/fortnox`, { method: 'PUT', body, headers: { 'Content-Type': 'application/json', ...headers } });

    it('refuses an unsigned write-back with 401', async () => {
      const response = await put('F-1', JSON.stringify(transferred), {});
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'missing' });
    });

    it('refuses a signed write-back that breaks the contract with 400 and the problems', async () => {
      const body = JSON.stringify({ tenant: 'demo', invoiceId: 'F-1', status: 'done' });
      const response = await put('F-1', body, { ...signSummaRequest(secrets.demo!, { method: 'PUT', path: '/invoices/F-1/fortnox', body }) });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_update', problems: [{ path: 'status' }] });
    });

    it('refuses a write-back whose invoice id differs from the URL', async () => {
      const body = JSON.stringify(transferred);
      const response = await put('F-OTHER', body, { ...signSummaRequest(secrets.demo!, { method: 'PUT', path: '/invoices/F-OTHER/fortnox', body }) });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_update', problems: [{ path: 'invoiceId', message: 'must be the invoice id in the URL' }] });
    });

    it('refuses a write-back signature replayed on another invoice, or as another method', async () => {
      const body = JSON.stringify(transferred);
      const signed = signSummaRequest(secrets.demo!, { method: 'PUT', path: '/invoices/F-1/fortnox', body });
      const elsewhere = await put('F-2', body, { ...signed });
      expect(elsewhere.status).toBe(401);
      expect(await elsewhere.json()).toEqual({ error: 'unauthorized', reason: 'mismatch' });
      const asPost = await fetch(`${sandbox.url}/invoices/F-1/fortnox`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...signed } });
      expect(asPost.status).not.toBe(204);
      expect((await state()).updates).toEqual([]);
    });

    it('refuses a fault it cannot inject with 400', async () => {
      const response = await fetch(`${sandbox.url}/sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'status', status: 404, count: 1 }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(response.status).toBe(400);
    });
  });
});

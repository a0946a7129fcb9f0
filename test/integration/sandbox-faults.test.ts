import { describe, expect, it } from 'vitest';
import { startFortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { api, clientCredentialsToken, control, errorOf, tokenRequest, useSandbox } from './sandbox-kit.js';

const invoice = { Invoice: { CustomerNumber: '1', ExternalInvoiceReference1: 'SUMMA-77', InvoiceRows: [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100 }] } };

describe('Fortnox sandbox: injected faults', () => {
  const kit = useSandbox({ tenants: ['1', '2'] });

  it('answers 500 as Fortnox\'s System exception without doing the request, then serves normally', async () => {
    expect((await control(kit.sandbox).addFault({ route: '/3/invoices', method: 'POST', kind: 'status', status: 500, count: 1 })).status).toBe(201);
    const failed = await kit.fortnox.post('/3/invoices', invoice);
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ ErrorInformation: { Error: 1, Message: 'System exception', Code: 1000003 } });
    expect((await kit.fortnox.get('/3/invoices')).json).toMatchObject({ Invoices: [] });
    expect((await kit.fortnox.post('/3/invoices', invoice)).json).toMatchObject({ Invoice: { DocumentNumber: '1' } });
  });

  it.each([502, 503])('answers %i with an empty body', async (status) => {
    await control(kit.sandbox).addFault({ route: '/3/customers', kind: 'status', status, count: 1 });
    const answer = await kit.fortnox.get('/3/customers');
    expect(answer.status).toBe(status);
    expect(answer.text).toBe('');
  });

  it('answers 429 like the rate limit', async () => {
    await control(kit.sandbox).addFault({ route: '/3/customers', kind: 'status', status: 429, count: 1 });
    const answer = await kit.fortnox.get('/3/customers');
    expect(answer.status).toBe(429);
    expect(answer.json).toEqual({ message: 'Too Many Requests' });
  });

  it('delays a call by latencyMs and then answers it normally', async () => {
    await control(kit.sandbox).addFault({ route: '/3/costcenters', kind: 'latency', latencyMs: 300, count: 1 });
    const started = Date.now();
    const answer = await kit.fortnox.get('/3/costcenters');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(200);
  });

  it('closes at once even while a latency fault holds a call', async () => {
    const other = await startFortnoxSandbox({ rateLimit: false });
    const token = await clientCredentialsToken(other);
    await control(other).addFault({ kind: 'latency', latencyMs: 60_000 });
    const pending = api(other, token).get('/3/customers').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('drops the connection without answering and without doing the request', async () => {
    await control(kit.sandbox).addFault({ route: '/3/invoices', method: 'POST', kind: 'reset', count: 1 });
    await expect(kit.fortnox.post('/3/invoices', invoice)).rejects.toThrow(/fetch failed/);
    expect((await kit.fortnox.get('/3/invoices')).json).toMatchObject({ MetaInformation: { '@TotalResources': 0 } });
    const [logged] = (await control(kit.sandbox).requests('?route=/3/invoices&method=POST')).json as { status: number; fault: string }[];
    expect(logged).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('applies a create and then drops the answer: the invoice exists although the client saw a dropped connection', async () => {
    await control(kit.sandbox).addFault({ route: '/3/invoices', method: 'POST', kind: 'applyThenDrop', count: 1 });
    await expect(kit.fortnox.post('/3/invoices', invoice)).rejects.toThrow(/fetch failed/);
    const found = await kit.fortnox.get('/3/invoices?externalinvoicereference1=SUMMA-77');
    expect(found.json).toMatchObject({ MetaInformation: { '@TotalResources': 1 }, Invoices: [{ DocumentNumber: '1', ExternalInvoiceReference1: 'SUMMA-77', Total: 125 }] });
    const [logged] = (await control(kit.sandbox).requests('?route=/3/invoices&method=POST')).json as { status: number; fault: string }[];
    expect(logged).toMatchObject({ status: 201, fault: 'applyThenDrop' });
  });

  it('hits only the next count calls and reports remaining and hit counts', async () => {
    const { id } = (await control(kit.sandbox).addFault({ route: '/3/customers/{CustomerNumber}', kind: 'status', status: 503, count: 2 })).json as { id: string };
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await kit.fortnox.get('/3/customers/1')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await control(kit.sandbox).call('GET', '/faults')).json).toEqual([
      { id, route: '/3/customers/{CustomerNumber}', kind: 'status', status: 503, count: 2, hits: 2, remaining: 0 },
    ]);
  });

  it('hits the same share of calls on every run when rate comes with a seed', async () => {
    const pattern = async () => {
      await control(kit.sandbox).call('DELETE', '/faults');
      await control(kit.sandbox).addFault({ route: '/3/projects', kind: 'status', status: 503, rate: 0.5, seed: 42 });
      const statuses = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await kit.fortnox.get('/3/projects')).status);
      return statuses;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(3);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(3);
  });

  it('matches on method, tenant and path prefix', async () => {
    await control(kit.sandbox).addFault({ route: '/3/invoices', method: 'PUT', tenant: '2', kind: 'status', status: 500 });
    const other = api(kit.sandbox, await clientCredentialsToken(kit.sandbox, '2'));
    const created = (await other.post('/3/invoices', invoice)).json as { Invoice: { DocumentNumber: string } };
    expect((await other.put(`/3/invoices/${created.Invoice.DocumentNumber}/bookkeep`)).status).toBe(500);
    const mine = (await kit.fortnox.post('/3/invoices', invoice)).json as { Invoice: { DocumentNumber: string } };
    expect((await kit.fortnox.put(`/3/invoices/${mine.Invoice.DocumentNumber}/bookkeep`)).status).toBe(200);
  });

  it('faults the token endpoint too, but never the control API', async () => {
    await control(kit.sandbox).addFault({ route: '/oauth-v1/token', kind: 'status', status: 503, count: 1 });
    await control(kit.sandbox).addFault({ route: '/sandbox', kind: 'status', status: 500 });
    expect((await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, { TenantId: '1' })).status).toBe(503);
    expect((await control(kit.sandbox).state()).status).toBe(200);
  });

  it('clears every fault on DELETE /sandbox/faults and refuses a fault it cannot carry out', async () => {
    await control(kit.sandbox).addFault({ kind: 'status', status: 500 });
    expect((await kit.fortnox.get('/3/customers')).status).toBe(500);
    await control(kit.sandbox).call('DELETE', '/faults');
    expect((await kit.fortnox.get('/3/customers')).status).toBe(200);
    const refused = await control(kit.sandbox).addFault({ kind: 'status', status: 418 });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: expect.stringContaining('status') as string });
    expect((await control(kit.sandbox).addFault({ kind: 'latency' })).json).toMatchObject({ error: expect.stringContaining('latencyMs') as string });
    expect(errorOf(await kit.fortnox.get('/3/customers/404')).code).toBe(2000433);
  });
});

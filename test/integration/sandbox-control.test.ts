import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/sandbox/fortnox/index.js';
import { useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';
import { api, clientCredentialsToken, control } from './sandbox-kit.js';

describe('Fortnox sandbox: control API', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, today: () => '2026-03-15' });

  it('resets every tenant to its seed and clears log and faults, while issued tokens stay valid', async () => {
    const token = await clientCredentialsToken(kit.sandbox);
    const fortnox = api(kit.sandbox, token);
    await fortnox.post('/3/customers', { Customer: { Name: 'Tillfällig AB' } });
    await control(kit.sandbox).addFault({ route: '/3/projects', kind: 'status', status: 503 });
    expect((await control(kit.sandbox).reset()).json).toEqual({ reset: true, tenants: ['1'] });
    expect((await control(kit.sandbox).requests()).json).toEqual([]);
    expect((await control(kit.sandbox).call('GET', '/faults')).json).toEqual([]);
    expect((await fortnox.get('/3/customers')).json).toMatchObject({ MetaInformation: { '@TotalResources': 6 } });
    expect((await fortnox.get('/3/projects')).status).toBe(200);
    expect((await fortnox.post('/3/customers', { Customer: { Name: 'Ny AB' } })).json).toMatchObject({ Customer: { CustomerNumber: '7' } });
  });

  it('shows a tenant\'s whole state in Fortnox shape', async () => {
    const fortnox = api(kit.sandbox, await clientCredentialsToken(kit.sandbox));
    await fortnox.post('/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100 }] } });
    await fortnox.delete('/3/customers/6');
    const state = (await control(kit.sandbox).state('1')).json as Record<string, unknown>;
    expect(Object.keys(state)).toEqual([
      'tenantId',
      'consent',
      'companyInformation',
      'invoiceSettings',
      'customers',
      'deletedCustomerNumbers',
      'invoices',
      'invoicePayments',
      'costCenters',
      'projects',
      'financialYears',
      'currencies',
      'termsOfPayments',
      'units',
      'sends',
      'accounts',
      'counters',
    ]);
    expect(state).toMatchObject({
      tenantId: '1',
      consent: true,
      deletedCustomerNumbers: ['6'],
      invoices: [{ DocumentNumber: '1', Total: 125, OCR: '133' }],
      counters: { documentNumber: 2, customerNumber: 7 },
    });
    expect(Object.keys(state.accounts as object)).toEqual(['1', '2']);
    expect((await control(kit.sandbox).state('9')).status).toBe(404);
  });

  it('adds a seeded tenant, and refuses a tenant that exists or an id that is not a TenantId', async () => {
    const added = await control(kit.sandbox).call('POST', '/tenants', { tenantId: '7' });
    expect(added.status).toBe(201);
    expect((await api(kit.sandbox, await clientCredentialsToken(kit.sandbox, '7')).get('/3/companyinformation')).json).toMatchObject({ CompanyInformation: { DatabaseNumber: 7 } });
    expect((await control(kit.sandbox).call('POST', '/tenants', { tenantId: '7' })).status).toBe(409);
    const invalid = await control(kit.sandbox).call('POST', '/tenants', { tenantId: 'acme' });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ error: expect.stringContaining('digits only') as string });
  });

  it('reads and changes settings, refusing values it cannot use', async () => {
    expect((await control(kit.sandbox).call('GET', '/settings')).json).toEqual({ rateLimit: false, accessTokenLifetimeSeconds: 3600, refreshTokenLifetimeSeconds: 45 * 24 * 3600 });
    expect((await control(kit.sandbox).call('PUT', '/settings', { rateLimit: { requests: 10, windowMs: 1000 } })).json).toEqual({
      rateLimit: { requests: 10, windowMs: 1000 },
      accessTokenLifetimeSeconds: 3600,
      refreshTokenLifetimeSeconds: 45 * 24 * 3600,
    });
    expect((await control(kit.sandbox).call('PUT', '/settings', { rateLimit: { requests: 0, windowMs: 1000 } })).status).toBe(400);
    expect((await control(kit.sandbox).call('PUT', '/settings', { colour: 'blue' })).status).toBe(400);
    await control(kit.sandbox).call('PUT', '/settings', { rateLimit: false });
  });

  it('logs each /3 and /oauth-v1 request with its route template, tenant, status and JSON body', async () => {
    const fortnox = api(kit.sandbox, await clientCredentialsToken(kit.sandbox));
    await fortnox.get('/3/customers/1?financialyear=2');
    await fortnox.post('/3/customers', { Customer: { Name: 'Loggad AB' } });
    await fortnox.get('/3/invoices/404');
    await fetch(`${kit.sandbox.url}/3/customers`);
    const log = (await control(kit.sandbox).requests()).json as LoggedRequest[];
    expect(log.map(({ method, path, route, tenant, status, body, query, fault }) => ({ method, path, route, tenant, status, body, query, fault }))).toEqual([
      { method: 'POST', path: '/oauth-v1/token', route: '/oauth-v1/token', tenant: '1', status: 200, body: { grant_type: 'client_credentials' }, query: {}, fault: null },
      { method: 'GET', path: '/3/customers/1', route: '/3/customers/{CustomerNumber}', tenant: '1', status: 200, body: null, query: { financialyear: '2' }, fault: null },
      { method: 'POST', path: '/3/customers', route: '/3/customers', tenant: '1', status: 201, body: { Customer: { Name: 'Loggad AB' } }, query: {}, fault: null },
      { method: 'GET', path: '/3/invoices/404', route: '/3/invoices/{DocumentNumber}', tenant: '1', status: 404, body: null, query: {}, fault: null },
      { method: 'GET', path: '/3/customers', route: '/3/customers', tenant: null, status: 401, body: null, query: {}, fault: null },
    ]);
    expect(log.map((entry) => entry.seq)).toEqual([...log.map((entry) => entry.seq)].sort((a, b) => a - b));
    expect((await control(kit.sandbox).requests('?route=/3/customers&method=post')).json).toHaveLength(1);
    expect((await control(kit.sandbox).requests('?tenant=1')).json).toHaveLength(4);
    await control(kit.sandbox).call('DELETE', '/requests');
    expect((await control(kit.sandbox).requests()).json).toEqual([]);
  });

  it('answers an unknown control endpoint with 404 and a JSON error', async () => {
    const answer = await control(kit.sandbox).call('GET', '/nothing');
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: expect.stringContaining('No control endpoint GET /sandbox/nothing') as string });
    expect((await control(kit.sandbox).call('POST', '/faults', '{')).status).toBe(400);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { startFortnoxSandbox, type FortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { api, clientCredentialsToken, control, tokenRequest } from './sandbox-kit.js';

describe('Fortnox sandbox: rate limit', () => {
  let sandbox: FortnoxSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('answers the 26th request within the window with 429 {"message":"Too Many Requests"} and no Retry-After', async () => {
    sandbox = await startFortnoxSandbox({ tenants: ['1'], rateLimit: { requests: 25, windowMs: 60_000 } });
    const fortnox = api(sandbox, await clientCredentialsToken(sandbox, '1'));
    const statuses = [];
    for (let i = 0; i < 25; i += 1) statuses.push((await fortnox.get('/3/costcenters')).status);
    expect(statuses).toEqual(Array(25).fill(200));
    const refused = await fortnox.get('/3/costcenters');
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ message: 'Too Many Requests' });
    expect(refused.headers.get('retry-after')).toBeNull();
  });

  it('slides: a full window opens again as its oldest requests age out, and the 429s do not count', async () => {
    sandbox = await startFortnoxSandbox({ tenants: ['1'], rateLimit: { requests: 5, windowMs: 400 } });
    const fortnox = api(sandbox, await clientCredentialsToken(sandbox, '1'));
    for (let i = 0; i < 5; i += 1) expect((await fortnox.get('/3/projects')).status).toBe(200);
    for (let i = 0; i < 10; i += 1) expect((await fortnox.get('/3/projects')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await fortnox.get('/3/projects')).status).toBe(200);
  });

  it('counts per client and tenant, not per token, and never limits the token endpoint', async () => {
    sandbox = await startFortnoxSandbox({ tenants: ['1', '2'], rateLimit: { requests: 3, windowMs: 60_000 } });
    const [first, second] = [await clientCredentialsToken(sandbox, '1'), await clientCredentialsToken(sandbox, '1')];
    for (const token of [first, second, first]) expect((await api(sandbox, token).get('/3/customers')).status).toBe(200);
    expect((await api(sandbox, second).get('/3/customers')).status).toBe(429);
    expect((await api(sandbox, await clientCredentialsToken(sandbox, '2')).get('/3/customers')).status).toBe(200);
    for (let i = 0; i < 10; i += 1) expect((await tokenRequest(sandbox, { grant_type: 'client_credentials' }, { TenantId: '1' })).status).toBe(200);
  });

  it('takes a new limit, or none, from PUT /sandbox/settings', async () => {
    sandbox = await startFortnoxSandbox({ tenants: ['1'], rateLimit: { requests: 1, windowMs: 60_000 } });
    const fortnox = api(sandbox, await clientCredentialsToken(sandbox, '1'));
    expect((await fortnox.get('/3/customers')).status).toBe(200);
    expect((await fortnox.get('/3/customers')).status).toBe(429);
    expect((await control(sandbox).call('PUT', '/settings', { rateLimit: false })).json).toEqual({ rateLimit: false, accessTokenLifetimeSeconds: 3600, refreshTokenLifetimeSeconds: 45 * 24 * 3600 });
    for (let i = 0; i < 30; i += 1) expect((await fortnox.get('/3/customers')).status).toBe(200);
  });
});

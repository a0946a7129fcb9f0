import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFortnoxSandbox, type FortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { fortnoxControl } from '../../src/testkit/fortnox-control.js';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';

// Fortnox's limit is 25 per 5 s; the same rule on a shorter window keeps the test quick.
const limit = { requests: 5, windowMs: 500 };

describe('Fortnox client against the sandbox: rate limit', () => {
  let sandbox: FortnoxSandbox;
  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ rateLimit: limit, tenants: ['1', '2'] });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('keeps concurrent callers of one tenant under the limit, so Fortnox never answers 429', async () => {
    const control = fortnoxControl(sandbox);
    const fortnox = sandboxClient(sandbox, '1', { rateLimit: limit });
    await Promise.all(Array.from({ length: 30 }, () => fortnox.costCentres.list()));
    const calls = await control.requests({ tenant: '1', route: '/3/costcenters' });
    expect(calls).toHaveLength(30);
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
    const arrivals = calls.map((call) => Date.parse(call.at)).sort((a, b) => a - b);
    const busiest = Math.max(...arrivals.map((start) => arrivals.filter((at) => at >= start && at < start + limit.windowMs).length));
    expect(busiest).toBeLessThanOrEqual(limit.requests);
  });

  it('gives each tenant its own budget, as Fortnox counts per tenant', async () => {
    const control = fortnoxControl(sandbox);
    await new Promise((resolve) => setTimeout(resolve, limit.windowMs));
    await control.clearRequests();
    // No client-side limit: a full window's worth for each of two tenants at once, which one shared budget would refuse.
    await Promise.all(['1', '2'].map((tenant) => {
      const fortnox = sandboxClient(sandbox, tenant);
      return Promise.all(Array.from({ length: limit.requests }, () => fortnox.costCentres.list()));
    }));
    expect((await control.requests()).filter((call) => call.status === 429)).toEqual([]);
  });

  it('shows what happens without the client-side limit: Fortnox answers 429', async () => {
    const control = fortnoxControl(sandbox);
    await new Promise((resolve) => setTimeout(resolve, limit.windowMs));
    await control.clearRequests();
    const unthrottled = sandboxClient(sandbox, '1');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => unthrottled.costCentres.list()));
    expect(results.filter((result) => result.status === 'rejected').length).toBeGreaterThan(0);
    expect((await control.requests({ route: '/3/costcenters' })).filter((call) => call.status === 429).length).toBeGreaterThan(0);
  });
});

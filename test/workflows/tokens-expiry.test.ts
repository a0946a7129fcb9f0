import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/sandbox/fortnox/index.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/** Two Summa companies on two Fortnox companies, both on client credentials (service accounts). */
const TENANTS = { alfa: '1', beta: '2' } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('access tokens expiring during a batch (client credentials, two tenants)', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ tenants: { ...TENANTS } });
  });
  beforeEach(async () => {
    await pipeline.resetFortnox();
    await pipeline.fortnoxControl.settings({ accessTokenLifetimeSeconds: 3600 });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const tokenRequests = async (tenantId: string): Promise<LoggedRequest[]> => pipeline.fortnoxControl.requests({ route: '/oauth-v1/token', tenant: tenantId });

  /**
   * Starts `perTenant` single transfers for each tenant at once; their ids by tenant. `plain` invoices carry no
   * project, cost centre or terms, so they reach the create call after two steps.
   */
  async function startBatch(perTenant: number, plain = false): Promise<Record<string, string[]>> {
    const ids: Record<string, string[]> = {};
    for (const tenant of Object.keys(TENANTS)) {
      // A handful of customers per tenant, as a print shop's batch has: repeated customers are written once.
      const invoices = Array.from({ length: perTenant }, (_, index) => {
        const base = anInvoice(plain ? { tenant, project: undefined, costCentre: undefined, termsOfPaymentDays: undefined } : { tenant });
        return { ...base, customer: { ...base.customer, customerNumber: `${tenant}-K${index % 5}` } };
      });
      ids[tenant] = invoices.map((invoice) => invoice.invoiceId);
      await Promise.all(invoices.map((invoice) => pipeline.service.transfer(invoice)));
    }
    return ids;
  }

  /** Waits for every transfer, then checks each invoice is in its Fortnox company exactly once. */
  async function expectAllTransferredOnce(ids: Record<string, string[]>): Promise<void> {
    for (const [tenant, invoiceIds] of Object.entries(ids)) {
      const results = await Promise.all(invoiceIds.map((id) => pipeline.transferred(tenant, id)));
      expect(results.every((result) => result.status === 'Transferred')).toBe(true);
      const references = (await pipeline.fortnoxControl.state(TENANTS[tenant as keyof typeof TENANTS])).invoices.map((invoice) => invoice.ExternalInvoiceReference1);
      for (const id of invoiceIds) expect(references.filter((reference) => reference === id), id).toHaveLength(1);
    }
  }

  it('takes exactly one new token per tenant when the tokens expire with over 50 Fortnox calls in flight', { timeout: 90_000 }, async () => {
    // Fortnox is slow to create invoices: every create call of the batch is held open until well after the expiry.
    const { id: slowCreates } = (await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 8_000 })) as { id: string };
    const ids = await startBatch(35, true);
    const started = Date.now();

    // Wait until at least 50 create calls are inside Fortnox (arrived, not yet answered).
    let inFlight = 0;
    const deadline = Date.now() + 30_000;
    while (inFlight < 60 && Date.now() < deadline) {
      await sleep(100);
      const hits = (await pipeline.fortnoxControl.faults()).find((fault) => fault.id === slowCreates)?.hits ?? 0;
      const answered = (await pipeline.fortnoxControl.requests({ route: '/3/invoices', method: 'POST' })).filter((request) => request.faultId === slowCreates).length;
      inFlight = hits - answered;
    }
    expect(inFlight).toBeGreaterThanOrEqual(50);
    const expiredAt = new Date().toISOString();
    await pipeline.fortnoxControl.expireTokens();
    await pipeline.fortnoxControl.clearFaults();

    await expectAllTransferredOnce(ids);

    // Every create that was in flight got its answer after the expiry: 401, then one retry with the new token.
    const creates = await pipeline.fortnoxControl.requests({ route: '/3/invoices', method: 'POST' });
    const refusedAfterExpiry = creates.filter((request) => request.faultId === slowCreates && request.status === 401);
    expect(refusedAfterExpiry.length).toBeGreaterThanOrEqual(50);
    for (const tenantId of Object.values(TENANTS)) {
      const tokens = await tokenRequests(tenantId);
      const afterExpiry = tokens.filter((request) => request.at >= expiredAt);
      expect({ tenantId, afterExpiry: afterExpiry.length, refused: refusedAfterExpiry.filter((request) => request.tenant === tenantId).length }).toMatchObject({ afterExpiry: 1 });
      expect(tokens.map((request) => request.status)).toEqual([200, 200]);
    }
    console.log(`in flight at expiry (${((Date.parse(expiredAt) - started) / 1000).toFixed(1)} s after the start): ${inFlight}; refused creates after expiry: ${refusedAfterExpiry.length}`);
  });

  it('renews a short-lived token about once per lifetime across a batch, never in a burst', { timeout: 90_000 }, async () => {
    const lifetimeSeconds = 1;
    await pipeline.fortnoxControl.settings({ accessTokenLifetimeSeconds: lifetimeSeconds });
    // The workers still hold an hour-long token from before; from now on every token is short-lived.
    await pipeline.fortnoxControl.expireTokens();
    // A little latency on every call so the batch spans several lifetimes.
    await pipeline.fortnoxControl.addFault({ route: '/3', kind: 'latency', latencyMs: 250 });
    const started = Date.now();
    const ids = await startBatch(15);
    await expectAllTransferredOnce(ids);
    const seconds = (Date.now() - started) / 1000;
    for (const tenantId of Object.values(TENANTS)) {
      const tokens = await tokenRequests(tenantId);
      const times = tokens.map((request) => Date.parse(request.at));
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      console.log(`tenant ${tenantId}: ${tokens.length} token requests in ${seconds.toFixed(1)} s, lifetime ${lifetimeSeconds} s, smallest gap ${Math.min(...gaps)} ms`);
      expect(seconds).toBeGreaterThan(3 * lifetimeSeconds);
      expect(tokens.every((request) => request.status === 200)).toBe(true);
      // About one per lifetime (Fortnox is idle for part of the batch: write-backs, workflow tasks), at most one per half lifetime.
      expect(tokens.length).toBeGreaterThanOrEqual(Math.floor(seconds / lifetimeSeconds / 2));
      expect(tokens.length).toBeLessThanOrEqual(Math.ceil(seconds / (lifetimeSeconds / 2)) + 1);
      // Never a burst: consecutive token requests are at least half a lifetime apart.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual((lifetimeSeconds * 1000) / 2);
    }
  });
  it('sends a tenant whose service-account consent was revoked to needs attention with few token calls, and completes it after consent and retry', { timeout: 90_000 }, async () => {
    // Slow creates, so that the revocation falls in the middle of the batch.
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 300 });
    const ids = await startBatch(20);
    const alfaIds = ids.alfa ?? [];
    const inFortnox = async () => {
      const references = new Set((await pipeline.fortnoxControl.state(TENANTS.alfa)).invoices.map((invoice) => invoice.ExternalInvoiceReference1));
      return alfaIds.filter((id) => references.has(id)).length;
    };
    const deadline = Date.now() + 60_000;
    while ((await inFortnox()) < 1) {
      if (Date.now() > deadline) throw new Error('alfa never got going');
      await sleep(100);
    }
    const revokedAt = new Date().toISOString();
    await pipeline.fortnoxControl.revokeConsent(TENANTS.alfa);

    await Promise.all((ids.beta ?? []).map((id) => pipeline.transferred('beta', id)));
    let views = await Promise.all(alfaIds.map((id) => pipeline.service.status('alfa', id)));
    while (views.some((view) => view?.status !== 'Transferred' && view?.status !== 'NeedsAttention')) {
      if (Date.now() > deadline + 30_000) throw new Error(`alfa never settled: ${JSON.stringify(views.map((view) => view?.status))}`);
      await sleep(250);
      views = await Promise.all(alfaIds.map((id) => pipeline.service.status('alfa', id)));
    }
    const waiting = views.filter((view) => view?.status === 'NeedsAttention');
    expect(waiting.length).toBeGreaterThanOrEqual(5);
    for (const view of waiting) {
      expect(view?.message).toMatch(/^Fortnox behöver godkänna integrationen på nytt för alfa: en administratör i Fortnox-företaget godkänner summa-fortnox igen som tjänstekonto/);
      expect(view?.message).toContain('`npm run authorize -- --tenant alfa --service-account`');
    }
    const refusals = (await tokenRequests(TENANTS.alfa)).filter((request) => request.at >= revokedAt);
    console.log(`service account revoked: ${waiting.length} alfa invoices need attention after ${refusals.length} token calls`);
    expect(refusals.length).toBeLessThanOrEqual(4);

    await pipeline.fortnoxControl.clearFaults();
    await pipeline.fortnoxControl.restoreConsent(TENANTS.alfa);
    // A refusal is answered from memory for 5 s (ClientCredentialsTokenSource); the operator is slower than that.
    await sleep(Math.max(0, Math.max(...refusals.map((request) => Date.parse(request.at))) + 5_100 - Date.now()));
    await Promise.all(waiting.map((view) => pipeline.service.retry('alfa', view?.invoiceId ?? '')));
    await expectAllTransferredOnce(ids);
  });
});

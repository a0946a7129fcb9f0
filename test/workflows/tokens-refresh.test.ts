import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeTenant } from '../../src/fortnox/auth/authorize.js';
import { FileTokenStore } from '../../src/fortnox/auth/token-store.js';
import { createHttp } from '../../src/fortnox/http.js';
import { freePort } from '../../src/http/free-port.js';
import { listen } from '../../src/http/listen.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import type { SummaInvoice } from '../../src/summa/invoice-contract.js';
import type { WorkerProcess } from '../../src/testkit/worker-process.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { startTestWorkerProcess } from '../helpers/worker-process.js';

/** Summa company → Fortnox TenantId; both on authorization-code consent with rotating refresh tokens. */
const TENANTS = { alfa: '1', beta: '2' } as const;
type Tenant = keyof typeof TENANTS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A pass-through HTTP proxy in front of the sandbox's OAuth endpoints, one per worker process, so that the test
 * knows which process asked for which token (the sandbox sees only the requests).
 */
async function countingProxy(target: string): Promise<{ url: string; refreshGrants: () => number; close: () => Promise<void> }> {
  let refreshGrants = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (new URLSearchParams(body.toString('utf8')).get('grant_type') === 'refresh_token') refreshGrants += 1;
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !['host', 'connection', 'content-length'].includes(entry[0])),
      );
      fetch(`${target}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, redirect: 'manual', ...(body.length > 0 ? { body } : {}) })
        .then(async (answer) => {
          const bytes = Buffer.from(await answer.arrayBuffer());
          response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/octet-stream', 'Content-Length': bytes.length });
          response.end(bytes);
        })
        .catch(() => response.destroy());
    });
  });
  const url = await listen(server, 0, '127.0.0.1');
  return {
    url,
    refreshGrants: () => refreshGrants,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('refresh-token mode across two worker processes sharing one token directory', () => {
  let pipeline: Pipeline;
  let tokenDir: string;
  const workers: { name: string; process: WorkerProcess; proxy: Awaited<ReturnType<typeof countingProxy>> }[] = [];

  /** The operator's `authorize` for a tenant, against the sandbox, following its consent page as a browser would. */
  async function authorize(tenant: Tenant): Promise<void> {
    let followed: Promise<Response> | undefined;
    await authorizeTenant({
      http: createHttp({ timeoutMs: 5_000 }),
      authBaseUrl: `${pipeline.fortnox.url}/oauth-v1`,
      identity: SANDBOX_CLIENT,
      tenant,
      store: new FileTokenStore(tokenDir),
      redirectUri: `http://localhost:${await freePort()}/callback`,
      onConsentUrl: (url) => {
        followed = fetch(`${url}&tenant=${TENANTS[tenant]}`);
      },
    });
    expect((await followed)?.status).toBe(200);
  }

  /** `npm run worker` as its own process, on the pipeline's task queue, its Fortnox OAuth calls through `proxyUrl`. */
  const startWorkerProcess = (proxyUrl: string) =>
    startTestWorkerProcess(pipeline, {
      tenants: Object.fromEntries(Object.keys(TENANTS).map((tenant) => [tenant, { auth: 'refreshToken' } as const])),
      env: { FORTNOX_AUTH_URL: `${proxyUrl}/oauth-v1`, FORTNOX_TOKEN_DIR: tokenDir },
    });

  beforeAll(async () => {
    pipeline = await startPipeline({ tenants: { ...TENANTS }, worker: false });
    tokenDir = mkdtempSync(path.join(os.tmpdir(), 'tokens-shared-'));
    // Short-lived access tokens: every process must refresh again and again during a batch.
    await pipeline.fortnoxControl.settings({ accessTokenLifetimeSeconds: 2 });
    for (const tenant of Object.keys(TENANTS) as Tenant[]) await authorize(tenant);
    for (const name of ['first', 'second']) {
      const proxy = await countingProxy(pipeline.fortnox.url);
      workers.push({ name, proxy, process: await startWorkerProcess(proxy.url) });
    }
  });
  afterAll(async () => {
    await Promise.all(
      workers.map(async (worker) => {
        await worker.process.stop();
        await worker.proxy.close();
      }),
    );
    await pipeline.stop();
  });

  /**
   * `count` invoices for a tenant on a few customers, as a print shop's batch has; without project, cost centre or
   * terms, so that each is three steps and the batch's time goes to the token traffic under test.
   */
  function batch(tenant: Tenant, count: number, label: string): SummaInvoice[] {
    return Array.from({ length: count }, (_, index) => {
      const invoice = anInvoice({ tenant, project: undefined, costCentre: undefined, termsOfPaymentDays: undefined });
      return { ...invoice, customer: { ...invoice.customer, customerNumber: `${label}-K${index % 4}` } };
    });
  }

  async function fortnoxCopies(tenant: Tenant, invoiceIds: string[]): Promise<number[]> {
    const references = (await pipeline.fortnoxControl.state(TENANTS[tenant])).invoices.map((invoice) => invoice.ExternalInvoiceReference1);
    return invoiceIds.map((id) => references.filter((reference) => reference === id).length);
  }

  it('transfers a batch of 100 while both processes refresh many times, never reusing a rotated refresh token', { timeout: 120_000 }, async () => {
    const invoices = [...batch('alfa', 50, 'R'), ...batch('beta', 50, 'R')];
    const started = Date.now();
    await Promise.all(invoices.map((invoice) => pipeline.service.transfer(invoice)));
    const results = await Promise.all(invoices.map((invoice) => pipeline.transferred(invoice.tenant, invoice.invoiceId)));
    const seconds = (Date.now() - started) / 1000;
    expect(results.filter((result) => result.status === 'Transferred')).toHaveLength(100);
    for (const tenant of Object.keys(TENANTS) as Tenant[]) {
      expect(await fortnoxCopies(tenant, invoices.filter((invoice) => invoice.tenant === tenant).map((invoice) => invoice.invoiceId))).toEqual(Array(50).fill(1));
    }

    const grants = await pipeline.fortnoxControl.refreshGrants();
    const tokenAnswers = await pipeline.fortnoxControl.requests({ route: '/oauth-v1/token' });
    const perProcess = workers.map((worker) => worker.proxy.refreshGrants());
    console.log(`batch of 100 in ${seconds.toFixed(1)} s; refresh grants per process ${perProcess.join(' + ')}; sandbox counts ${JSON.stringify(grants)}`);
    // Not one refresh token was used twice, revoked or unknown, and no token request was refused.
    expect(grants.unknown).toBe(0);
    for (const tenantId of Object.values(TENANTS)) expect(grants.tenants[tenantId]).toMatchObject({ reused: 0, revoked: 0, expired: 0 });
    expect(tokenAnswers.filter((request) => request.status !== 200)).toEqual([]);
    // Many refreshes, from both processes, each of which reached the sandbox and was accepted.
    const accepted = Object.values(grants.tenants).reduce((sum, counts) => sum + counts.accepted, 0);
    expect(accepted).toBe(perProcess.reduce((sum, count) => sum + count, 0));
    // (A quick batch of ~9 s on 2 s tokens gives about four refreshes per tenant; slower machines give more.)
    expect(accepted).toBeGreaterThanOrEqual(4);
    for (const count of perProcess) expect(count).toBeGreaterThanOrEqual(1);
    // One refresh per lifetime for both processes together: the second process takes the first one's tokens from
    // the file instead of refreshing again, so a tenant's refreshes are never closer than half a lifetime.
    for (const tenantId of Object.values(TENANTS)) {
      const times = tokenAnswers.filter((request) => request.tenant === tenantId).map((request) => Date.parse(request.at));
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      console.log(`tenant ${tenantId}: ${times.length} token requests, smallest gap ${Math.min(...gaps)} ms`);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    }
  });
  it('sends a revoked tenant to needs attention with little token traffic, leaves the other alone, and completes it after authorize and retry', { timeout: 120_000 }, async () => {
    await pipeline.fortnoxControl.settings({ accessTokenLifetimeSeconds: 3600 });
    // Slow creates, so that the revocation falls in the middle of the batch.
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 300 });
    const alfa = batch('alfa', 20, 'V');
    const beta = batch('beta', 20, 'V');
    const alfaIds = alfa.map((invoice) => invoice.invoiceId);
    await Promise.all([...alfa, ...beta].map((invoice) => pipeline.service.transfer(invoice)));
    const deadline = Date.now() + 60_000;
    while ((await fortnoxCopies('alfa', alfaIds)).filter((copies) => copies > 0).length < 3) {
      if (Date.now() > deadline) throw new Error('alfa never got going');
      await sleep(100);
    }
    const revokedAt = new Date().toISOString();
    await pipeline.fortnoxControl.revokeConsent(TENANTS.alfa);

    // Beta is untouched: every one of its invoices is transferred, once.
    await Promise.all(beta.map((invoice) => pipeline.transferred('beta', invoice.invoiceId)));
    expect(await fortnoxCopies('beta', beta.map((invoice) => invoice.invoiceId))).toEqual(Array(20).fill(1));

    // Alfa's invoices not yet in Fortnox wait for a person, with a message saying who must do what.
    const settled = async () => Promise.all(alfaIds.map((id) => pipeline.service.status('alfa', id)));
    let views = await settled();
    while (views.some((view) => view?.status !== 'Transferred' && view?.status !== 'NeedsAttention')) {
      if (Date.now() > deadline + 30_000) throw new Error(`alfa never settled: ${JSON.stringify(views.map((view) => view?.status))}`);
      await sleep(250);
      views = await settled();
    }
    const waiting = views.filter((view) => view?.status === 'NeedsAttention');
    expect(waiting.length).toBeGreaterThanOrEqual(8);
    for (const view of waiting) {
      expect(view?.message).toContain('Fortnox behöver godkänna integrationen på nytt för alfa');
      expect(view?.message).toContain('en administratör i Fortnox-företaget');
      expect(view?.message).toContain('`npm run authorize -- --tenant alfa`');
      expect(view?.message).toContain('Försök igen');
    }
    const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string; message?: string }> };
    for (const view of waiting) expect(summa.invoices[`alfa/${view?.invoiceId ?? ''}`]).toMatchObject({ status: 'needsAttention' });

    // The dead grant is not tried again by every waiting invoice: a few token calls at most, per process.
    const afterRevocation = (await pipeline.fortnoxControl.requests({ route: '/oauth-v1/token', tenant: TENANTS.alfa })).filter((request) => request.at >= revokedAt);
    const grants = await pipeline.fortnoxControl.refreshGrants();
    console.log(`after revocation: ${waiting.length} alfa invoices need attention; alfa token calls ${afterRevocation.length}; sandbox counts ${JSON.stringify(grants)}`);
    expect(afterRevocation.length).toBeLessThanOrEqual(2 * workers.length);
    expect(grants.tenants[TENANTS.alfa]).toMatchObject({ reused: 0 });

    // The operator authorises again and presses retry: every alfa invoice ends in Fortnox exactly once.
    await pipeline.fortnoxControl.clearFaults();
    await authorize('alfa');
    await Promise.all(waiting.map((view) => pipeline.service.retry('alfa', view?.invoiceId ?? '')));
    await Promise.all(alfaIds.map((id) => pipeline.transferred('alfa', id)));
    expect(await fortnoxCopies('alfa', alfaIds)).toEqual(Array(20).fill(1));
    expect((await pipeline.fortnoxControl.refreshGrants()).tenants[TENANTS.alfa]).toMatchObject({ reused: 0 });
  });
});

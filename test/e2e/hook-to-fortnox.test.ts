import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookServer, type HookServer } from '../../src/hook/server.js';
import { projectRoot } from '../../src/paths.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import { invoiceWorkflowId } from '../../src/transfer/index.js';
import { startPipeline, TEST_SECRET, type Pipeline } from '../helpers/pipeline.js';

const example = JSON.parse(readFileSync(path.join(projectRoot, 'examples', 'invoice-simple.json'), 'utf8')) as Record<string, unknown>;

describe("Summa's hook through to Fortnox and back", () => {
  let pipeline: Pipeline;
  let hook: HookServer;
  beforeAll(async () => {
    pipeline = await startPipeline();
    hook = await createHookServer({ transfers: pipeline.service, secretFor: (tenant) => (tenant === 'demo' ? TEST_SECRET : undefined), log: () => undefined });
  });
  afterAll(async () => {
    await hook.close();
    await pipeline.stop();
  });

  const post = (body: string, secret = TEST_SECRET) =>
    fetch(`${hook.url}/hooks/summa/invoices`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...signSummaRequest(secret, { method: 'POST', path: '/hooks/summa/invoices', body }, { tenant: 'demo' }) } });
  const started = async (invoiceId: string) => {
    try {
      await pipeline.client.workflow.getHandle(invoiceWorkflowId('demo', invoiceId)).describe();
      return true;
    } catch {
      return false;
    }
  };

  it('accepts a signed invoice, transfers it, and answers a repeated delivery without a second transfer', async () => {
    const body = JSON.stringify({ ...example, invoiceId: 'HOOK-1', invoiceDate: new Date().toISOString().slice(0, 10), dueDate: undefined });
    const first = await post(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ workflowId: 'invoice/demo/HOOK-1', status: 'started' });
    const outcome = await pipeline.transferred('demo', 'HOOK-1');
    const again = await post(body);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ workflowId: 'invoice/demo/HOOK-1', status: 'alreadyTransferred' });
    const inFortnox = (await pipeline.fortnoxControl.state('1')).invoices.filter((invoice) => invoice.ExternalInvoiceReference1 === 'HOOK-1');
    expect(inFortnox.map((invoice) => invoice.DocumentNumber)).toEqual([outcome.fortnoxInvoiceNumber]);

    const path = '/hooks/summa/invoices/demo/HOOK-1';
    const status = await fetch(`${hook.url}${path}`, { headers: { ...signSummaRequest(TEST_SECRET, { method: 'GET', path, body: '' }) } });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ status: 'Transferred', fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber });
  });

  it('refuses a delivery signed with the wrong secret and starts nothing', async () => {
    const body = JSON.stringify({ ...example, invoiceId: 'HOOK-2' });
    const response = await post(body, 'not-the-tenant-secret-at-all');
    expect(response.status).toBe(401);
    expect(await started('HOOK-2')).toBe(false);
  });

  it('refuses an invalid invoice with every field path and starts nothing', async () => {
    const body = JSON.stringify({ ...example, invoiceId: 'HOOK-3', rows: [{ description: '', quantity: 1, unitPrice: 1.234, vatPercent: 7, account: 30 }] });
    const response = await post(body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string; problems: { path: string }[] };
    expect(answer.error).toBe('invalid_invoice');
    expect(answer.problems.map((problem) => problem.path)).toEqual(expect.arrayContaining(['rows.0.description', 'rows.0.unitPrice', 'rows.0.vatPercent', 'rows.0.account']));
    expect(await started('HOOK-3')).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaExportSchema } from '../../src/summa/invoice-contract.js';
import { summariseRequests } from '../../src/testkit/fortnox-traffic.js';
import { serviceAccounts, writeTenantsFile, type WorkerProcess } from '../../src/testkit/worker-process.js';
import { exportWorkflowId, FORTNOX_REQUESTS_PER_WINDOW, invoiceWorkflowId } from '../../src/transfer/index.js';
import { budgetSharesQuery, fortnoxBudgetWorkflowId } from '../../workflows/fortnox-budget.js';
import type { invoiceExport } from '../../workflows/invoice-export.js';
import type { invoiceTransfer } from '../../workflows/invoice-transfer.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { startTestWorkerProcess } from '../helpers/worker-process.js';

/** One tenant's export whose invoices share a customer, project and cost centre: almost one Fortnox call each. */
function oneTenantsExport(exportId: string, count: number) {
  const first = anInvoice();
  const invoices = Array.from({ length: count }, (_, index) => ({ ...first, invoiceId: `${exportId}-${index + 1}` }));
  return summaExportSchema.parse({ tenant: 'demo', exportId, invoices });
}

describe("Fortnox's limit shared by worker processes that nobody counted", () => {
  let pipeline: Pipeline;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    // The sandbox keeps Fortnox's limit (25 per 5 s per tenant) and answers 429 above it.
    pipeline = await startPipeline({ worker: false, tenants: { demo: '1', later: '2' }, fortnox: { rateLimit: { requests: 25, windowMs: 5_000 } } });
    workers.push(await startTestWorkerProcess(pipeline), await startTestWorkerProcess(pipeline));
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await pipeline.stop();
  });

  it('keeps one tenant under 25 requests in any 5 s with two worker processes, none told how many there are, and 0 × 429', { timeout: 180_000 }, async () => {
    const request = oneTenantsExport('SHARED', 40);
    await pipeline.service.export(request);
    const summary = await pipeline.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId('demo', 'SHARED')).result();
    expect(summary).toMatchObject({ total: 40, transferred: 40, needsAttention: [] });

    // Both processes hold a share, and the shares add up to Fortnox's limit, not more.
    const shares = await pipeline.client.workflow.getHandle(fortnoxBudgetWorkflowId(pipeline.taskQueue)).query(budgetSharesQuery);
    expect(shares.filter((member) => member.live)).toHaveLength(2);
    for (const member of shares) expect(member.share).toBeGreaterThan(0);
    expect(shares.reduce((sum, member) => sum + member.share, 0)).toBeLessThanOrEqual(FORTNOX_REQUESTS_PER_WINDOW);

    // What Fortnox saw, as an accountant's auditor would count it.
    const traffic = summariseRequests(await pipeline.fortnoxControl.requests({ tenant: '1' }));
    expect(traffic.tooManyRequests).toBe(0);
    expect(traffic.perTenant['1']?.maxIn5s).toBeLessThanOrEqual(25);
    expect(traffic.apiCalls).toBeGreaterThanOrEqual(40);
    const references = (await pipeline.fortnoxControl.state('1')).invoices.map((invoice) => invoice.ExternalInvoiceReference1);
    for (const invoice of request.invoices) expect(references.filter((reference) => reference === invoice.invoiceId), invoice.invoiceId).toHaveLength(1);
  });

  it('serves a print shop added to TENANTS_FILE without restarting the worker', { timeout: 60_000 }, async () => {
    const worker = workers[0];
    if (worker === undefined) throw new Error('no worker process started');
    const invoice = anInvoice({ tenant: 'later' });
    const handle = pipeline.client.workflow.getHandle<typeof invoiceTransfer>(invoiceWorkflowId('later', invoice.invoiceId));

    // Not configured yet: the transfer waits for a person, naming the file to change.
    await pipeline.service.transfer(invoice);
    const deadline = Date.now() + 20_000;
    while ((await pipeline.service.status('later', invoice.invoiceId))?.status !== 'NeedsAttention') {
      if (Date.now() > deadline) throw new Error(`the unknown tenant did not need attention; worker said:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await pipeline.service.status('later', invoice.invoiceId))?.message).toContain('TENANTS_FILE');

    // The operator adds the print shop to the file every worker reads; then presses retry.
    for (const each of workers) writeTenantsFile(each.tenantsFile ?? '', serviceAccounts({ demo: '1', later: '2' }));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await pipeline.service.retry('later', invoice.invoiceId);
    const outcome = await handle.result();
    const created = (await pipeline.fortnoxControl.state('2')).invoices.filter((item) => item.ExternalInvoiceReference1 === invoice.invoiceId);
    expect(created).toHaveLength(1);
    expect(created[0]?.DocumentNumber).toBe(outcome.fortnoxInvoiceNumber);
  });
});

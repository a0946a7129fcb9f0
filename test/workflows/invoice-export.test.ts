import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaExportSchema } from '../../src/summa/invoice-contract.js';
import { exportWorkflowId, invoiceWorkflowId } from '../../src/transfer/index.js';
import type { invoiceExport } from '../../workflows/invoice-export.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/** A month-end export like a print shop's: 60 customers, 4 cost centres, 20 projects, mixed rows. */
function monthEnd(exportId: string, count: number) {
  const invoices = Array.from({ length: count }, (_, index) =>
    anInvoice({
      customer: { customerNumber: `${exportId}-K${index % 60}`, name: `Kund ${index % 60} AB`, type: 'COMPANY' },
      costCentre: { code: `CC${index % 4}`, description: `Avdelning ${index % 4}` },
      project: { number: `${exportId}-P${index % 20}`, description: `Projekt ${index % 20}` },
      rows: [
        { description: 'Broschyrer', quantity: 1 + (index % 7), unitPrice: 99.5, vatPercent: 25, account: 3001 },
        { description: 'Böcker', quantity: 2, unitPrice: 149, vatPercent: 6, account: 3003 },
      ],
    }),
  );
  return summaExportSchema.parse({ tenant: 'demo', exportId, invoices });
}

describe('batch export on the real dev server, worker and sandboxes', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('transfers 300 invoices each exactly once, never more than 8 at a time, and writes every number back', { timeout: 300_000 }, async () => {
    const request = monthEnd('M1', 300);
    expect(await pipeline.service.export(request)).toMatchObject({ outcome: 'started' });
    // A repeated delivery of the same export starts nothing new.
    expect(await pipeline.service.export(request)).toMatchObject({ outcome: 'alreadyRunning' });

    let mostRunning = 0;
    let mostTransferring = 0;
    const handle = pipeline.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId('demo', 'M1'));
    const done = handle.result();
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished) {
      const progress = await pipeline.service.exportProgress('demo', 'M1');
      mostRunning = Math.max(mostRunning, progress?.running ?? 0);
      // Counted independently of the export's own books: what the transfers themselves report to Temporal.
      const transferring = await pipeline.client.workflow.count(`TaskQueue = '${pipeline.taskQueue}' AND TransferStatus = 'Transferring' AND ExecutionStatus = 'Running'`);
      mostTransferring = Math.max(mostTransferring, transferring.count);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const summary = await done;
    expect(summary).toMatchObject({ total: 300, transferred: 300, cancelled: 0, needsAttention: [] });
    expect(mostRunning).toBeGreaterThan(1);
    expect(mostRunning).toBeLessThanOrEqual(8);
    expect(mostTransferring).toBeLessThanOrEqual(8);

    const state = await pipeline.fortnoxControl.state('1');
    const ids = request.invoices.map((invoice) => invoice.invoiceId);
    const references = state.invoices.map((invoice) => invoice.ExternalInvoiceReference1);
    for (const id of ids) expect(references.filter((reference) => reference === id), id).toHaveLength(1);
    expect(new Set(state.customers.map((customer) => customer.CustomerNumber)).size).toBe(state.customers.length);
    expect(state.customers.filter((customer) => String(customer.CustomerNumber).startsWith('M1-'))).toHaveLength(60);
    expect(state.projects.filter((project) => String(project.ProjectNumber).startsWith('M1-'))).toHaveLength(20);
    const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string; fortnoxInvoiceNumber?: string }> };
    const numbers = new Map(state.invoices.map((invoice) => [invoice.ExternalInvoiceReference1, invoice.DocumentNumber]));
    for (const id of ids) expect(summa.invoices[`demo/${id}`], id).toEqual(expect.objectContaining({ status: 'transferred', fortnoxInvoiceNumber: numbers.get(id) }));
    expect(await pipeline.service.export(request)).toMatchObject({ outcome: 'alreadyFinished' });
  });

  it('does not transfer again an invoice already transferred on its own', async () => {
    const request = monthEnd('M2', 3);
    const [single] = request.invoices;
    await pipeline.service.transfer(single!);
    await pipeline.client.workflow.getHandle(invoiceWorkflowId('demo', single!.invoiceId)).result();
    await pipeline.service.export(request);
    const summary = await pipeline.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId('demo', 'M2')).result();
    expect(summary).toMatchObject({ total: 3, transferred: 3 });
    const references = (await pipeline.fortnoxControl.state('1')).invoices.map((invoice) => invoice.ExternalInvoiceReference1);
    expect(references.filter((reference) => reference === single!.invoiceId)).toHaveLength(1);
  });

  it('cancels the queued transfers of a cancelled export and leaves finished ones alone', async () => {
    const request = monthEnd('M3', 40);
    // Slow Fortnox down so that most transfers are still queued when the export is cancelled.
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 300, count: 40 });
    await pipeline.service.export(request);
    const handle = pipeline.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId('demo', 'M3'));
    while (((await pipeline.service.exportProgress('demo', 'M3'))?.transferred ?? 0) < 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await pipeline.service.cancelExport('demo', 'M3', 'fel period');
    const summary = await handle.result();
    expect(summary.transferred).toBeGreaterThan(0);
    expect(summary.cancelled).toBeGreaterThan(0);
    expect(summary.transferred + summary.cancelled).toBe(40);
    const inFortnox = (await pipeline.fortnoxControl.state('1')).invoices.filter((invoice) => String(invoice.ExternalInvoiceReference2).startsWith('O-')).length;
    expect(inFortnox).toBeGreaterThanOrEqual(summary.transferred);
    const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string; message?: string }> };
    const cancelled = request.invoices.filter((invoice) => summa.invoices[`demo/${invoice.invoiceId}`]?.status === 'cancelled');
    expect(cancelled).toHaveLength(summary.cancelled);
    expect(summa.invoices[`demo/${cancelled[0]?.invoiceId ?? ''}`]?.message).toContain('fel period');
  });
});

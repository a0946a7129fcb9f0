import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferStateError } from '../../src/client/transfer-service.js';
import { exportWorkflowId, invoiceWorkflowId, type TransferView } from '../../src/transfer/index.js';
import type { invoiceExport } from '../../workflows/invoice-export.js';
import type { invoiceTransfer } from '../../workflows/invoice-transfer.js';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

const today = new Date().toISOString().slice(0, 10);

describe('bulk retry and cancel: one command for a month-end of invoices that need attention', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ tenants: { demo: '1', other: '2' } });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  async function allWaiting(tenant: string, invoiceIds: string[]): Promise<TransferView[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const views = await Promise.all(invoiceIds.map((invoiceId) => pipeline.service.status(tenant, invoiceId)));
      if (views.every((view) => view?.status === 'NeedsAttention')) return views as TransferView[];
      if (Date.now() > deadline) throw new Error(`not all waiting: ${JSON.stringify(views.map((view) => view?.status))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  /** Bulk commands act on what Temporal's visibility lists, which follows the status by a moment: wait for it. */
  async function listedAsStuck(tenant: string, invoiceIds: string[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const listed = new Set((await pipeline.service.stuck(tenant)).map((view) => view.invoiceId));
      if (invoiceIds.every((invoiceId) => listed.has(invoiceId))) return;
      if (Date.now() > deadline) throw new Error(`not all listed as needing attention: ${JSON.stringify([...listed])}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const summaState = async () =>
    ((await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string; fortnoxInvoiceNumber?: string; message?: string }> }).invoices;

  it('retries only the transfers stopped at the named step, all of them, and they reach Fortnox once each', { timeout: 90_000 }, async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const year = await fortnox.financialYears.byDate(today);
    const inactive = (await fortnox.accounts.list(year?.Id ?? 0)).find((account) => account.Active === false);
    const account = inactive?.Number ?? 0;
    // Five invoices on an account that is inactive (step validateAccounts), one whose totals Fortnox does not reach
    // (step createInvoice), one of another tenant.
    const onInactive = Array.from({ length: 5 }, () => anInvoice({ rows: [{ description: 'Varor', quantity: 1, unitPrice: 100, vatPercent: 25, account }] }));
    const wrongTotals = anInvoice({ rows: [{ description: 'Affischer', quantity: 1, unitPrice: 399, vatPercent: 25, account: 3001 }], totals: { net: 400, vat: 100, total: 500 } });
    const otherTenant = anInvoice({ tenant: 'other', rows: [{ description: 'Varor', quantity: 1, unitPrice: 100, vatPercent: 25, account }] });
    for (const invoice of [...onInactive, wrongTotals, otherTenant]) await pipeline.service.transfer(invoice);
    await allWaiting('demo', [...onInactive, wrongTotals].map((invoice) => invoice.invoiceId));
    await allWaiting('other', [otherTenant.invoiceId]);
    await listedAsStuck('demo', onInactive.map((invoice) => invoice.invoiceId));

    // The person fixes the account once, then retries what that fixed: one command.
    await fortnox.accounts.update(account, year?.Id ?? 0, { Active: true });
    const { workflowIds } = await pipeline.service.retryAll('demo', { step: 'validateAccounts' });
    expect(workflowIds.sort()).toEqual(onInactive.map((invoice) => invoiceWorkflowId('demo', invoice.invoiceId)).sort());
    const outcomes = await Promise.all(onInactive.map((invoice) => pipeline.client.workflow.getHandle<typeof invoiceTransfer>(invoiceWorkflowId('demo', invoice.invoiceId)).result()));

    // As the accountant reads it: each invoice in Fortnox once, with Summa's amount, its number written back.
    const inFortnox = (await pipeline.fortnoxControl.state('1')).invoices;
    const summa = await summaState();
    onInactive.forEach((invoice, index) => {
      const created = inFortnox.filter((each) => each.ExternalInvoiceReference1 === invoice.invoiceId);
      expect(created).toHaveLength(1);
      expect(Number(created[0]?.Net)).toBeCloseTo(100, 2);
      expect(Number(created[0]?.Total)).toBeCloseTo(125, 2);
      expect(summa[`demo/${invoice.invoiceId}`]).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: outcomes[index]?.fortnoxInvoiceNumber });
    });
    // Not touched: another step, another tenant.
    expect(await pipeline.service.status('demo', wrongTotals.invoiceId)).toMatchObject({ status: 'NeedsAttention', step: 'createInvoice', retries: 0 });
    expect(await pipeline.service.status('other', otherTenant.invoiceId)).toMatchObject({ status: 'NeedsAttention', retries: 0 });
  });

  it('cancels every waiting transfer of a tenant started since a time, telling Summa each reason, and nothing of another tenant', { timeout: 60_000 }, async () => {
    const since = new Date();
    const later = Array.from({ length: 3 }, () => anInvoice({ rows: [{ description: 'Okänt', quantity: 1, unitPrice: 1, vatPercent: 25, account: 3998 }] }));
    for (const invoice of later) await pipeline.service.transfer(invoice);
    await allWaiting('demo', later.map((invoice) => invoice.invoiceId));
    await listedAsStuck('demo', later.map((invoice) => invoice.invoiceId));

    const { workflowIds } = await pipeline.service.cancelAll('demo', 'Fakturorna makulerade i Summa', { since });
    // The earlier test's wrong-totals invoice started before `since`: left alone.
    expect(workflowIds.sort()).toEqual(later.map((invoice) => invoiceWorkflowId('demo', invoice.invoiceId)).sort());
    for (const invoice of later) {
      await pipeline.client.workflow.getHandle(invoiceWorkflowId('demo', invoice.invoiceId)).result().catch(() => undefined);
      expect(await pipeline.service.status('demo', invoice.invoiceId)).toMatchObject({ status: 'Cancelled' });
    }
    const summa = await summaState();
    for (const invoice of later) expect(summa[`demo/${invoice.invoiceId}`]).toMatchObject({ status: 'cancelled', message: expect.stringContaining('Fakturorna makulerade i Summa') as unknown });
    expect((await pipeline.service.stuck('demo')).map((view) => view.step)).toEqual(['createInvoice']);
    expect(await pipeline.service.stuck('other')).toHaveLength(1);
  });

  // Cancelling a running export's queued transfers through the client API: test/workflows/invoice-export.test.ts.
  it('refuses to cancel an export that was never sent or has finished, saying which', { timeout: 60_000 }, async () => {
    await expect(pipeline.service.cancelExport('demo', 'NO-SUCH', 'x')).rejects.toThrow(TransferStateError);
    await pipeline.service.export({ tenant: 'demo', exportId: 'DONE', invoices: [anInvoice(), anInvoice()] });
    expect(await pipeline.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId('demo', 'DONE')).result()).toMatchObject({ total: 2, transferred: 2 });
    await expect(pipeline.service.cancelExport('demo', 'DONE', 'x')).rejects.toThrow(/already finished/);
  });
});

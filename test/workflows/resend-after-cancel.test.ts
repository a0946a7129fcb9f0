import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { until } from '../helpers/until.js';

/*
 * The totals message tells a user to cancel the Fortnox invoice, cancel the transfer and send the corrected invoice
 * again. The new run may find the cancelled invoice by its Summa id: it must never reuse it (issue 13, "Re-sent after
 * a cancel"). Read back through Fortnox's API, as the accountant would see it.
 */
describe('an invoice re-sent after its Fortnox invoice was cancelled', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('creates a new Fortnox invoice, writes its number back and tells Summa the old one is cancelled', async () => {
    // Summa's totals disagree with its rows (2 500 + 3 000 net, 625 + 180 VAT = 6 305): created, then stopped.
    const wrong = anInvoice({ totals: { net: 5500, vat: 805, total: 6300 } });
    await pipeline.service.transfer(wrong);
    const stopped = await until(() => pipeline.service.status('demo', wrong.invoiceId), (view) => view?.status === 'NeedsAttention', 'NeedsAttention');
    const first = stopped?.fortnoxInvoiceNumber ?? '';
    expect(first).not.toBe('');
    expect(stopped?.message).toContain('makulera');

    // What the message says to do: cancel it in Fortnox, cancel the transfer, send the corrected invoice.
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    await fortnox.invoices.cancel(first);
    await pipeline.service.cancel('demo', wrong.invoiceId, 'fel totalsumma, makulerad i Fortnox');
    await until(() => pipeline.service.status('demo', wrong.invoiceId), (view) => view?.status === 'Cancelled', 'Cancelled');
    const corrected = { ...wrong, totals: { net: 5500, vat: 805, total: 6305 } };
    expect(await pipeline.service.transfer(corrected)).toMatchObject({ outcome: 'started' });
    const result = await pipeline.transferred('demo', wrong.invoiceId);

    expect(result.fortnoxInvoiceNumber).not.toBe(first);
    const [old, created] = [await fortnox.invoices.get(first), await fortnox.invoices.get(result.fortnoxInvoiceNumber)];
    expect(old).toMatchObject({ Cancelled: true, ExternalInvoiceReference1: wrong.invoiceId });
    expect(created).toMatchObject({ Cancelled: false, ExternalInvoiceReference1: wrong.invoiceId, Net: 5500, TotalVAT: 805, Total: 6305 });
    const live = (await fortnox.invoices.findByExternalReference(wrong.invoiceId)).filter((invoice) => invoice.Cancelled !== true);
    expect(live.map((invoice) => invoice.DocumentNumber)).toEqual([result.fortnoxInvoiceNumber]);

    const told = (await (await fetch(`${pipeline.summa.url}/sandbox/state?tenant=demo`)).json()) as { invoices: Record<string, { status: string; fortnoxInvoiceNumber?: string; message?: string }> };
    const latest = told.invoices[`demo/${wrong.invoiceId}`];
    expect(latest).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: result.fortnoxInvoiceNumber });
    expect(latest?.message).toContain(`nr ${first}`);
    expect(latest?.message).toContain(`nr ${result.fortnoxInvoiceNumber}`);
  });
});

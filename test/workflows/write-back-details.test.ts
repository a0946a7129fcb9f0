import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/*
 * What Summa hears back with `transferred` (issue 13, "What Summa hears back"): the Fortnox invoice number, the
 * customer's Fortnox number, the OCR reference, the due date and Fortnox's total; for a credit, its own number and
 * the original's. Each compared with what Fortnox's API holds.
 */
describe('the write-back of a transferred invoice', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const told = async (invoiceId: string) => {
    const state = (await (await fetch(`${pipeline.summa.url}/sandbox/state?tenant=demo`)).json()) as { invoices: Record<string, Record<string, unknown>> };
    return state.invoices[`demo/${invoiceId}`];
  };

  it("carries the customer's Fortnox number, OCR, due date and total as Fortnox holds them", async () => {
    // No customer number from Summa: Fortnox numbers the customer, and Summa must learn which number it got.
    const base = anInvoice();
    const invoice = { ...base, customer: { ...base.customer, customerNumber: undefined, organisationNumber: '559900-1234' } };
    await pipeline.service.transfer(invoice);
    const result = await pipeline.transferred('demo', invoice.invoiceId);
    const inFortnox = await sandboxClient(pipeline.fortnox, '1').invoices.get(result.fortnoxInvoiceNumber);
    expect(inFortnox?.OCR).toMatch(/^\d+$/);
    expect(await told(invoice.invoiceId)).toMatchObject({
      status: 'transferred',
      fortnoxInvoiceNumber: result.fortnoxInvoiceNumber,
      fortnoxCustomerNumber: inFortnox?.CustomerNumber,
      ocr: inFortnox?.OCR,
      dueDate: inFortnox?.DueDate,
      total: 6305,
      currency: 'SEK',
    });
    expect(inFortnox?.Total).toBe(6305);
  });

  it('names, for a full and a partial credit, the credit invoice and the invoice it credits', async () => {
    const original = anInvoice();
    await pipeline.service.transfer(original);
    const { fortnoxInvoiceNumber: originalNumber } = await pipeline.transferred('demo', original.invoiceId);

    const partial = anInvoice({
      customer: original.customer,
      credit: { originalInvoiceId: original.invoiceId, full: false },
      rows: [{ description: 'Kreditering: 100 ex', quantity: -100, unitPrice: 2.5, vatPercent: 25, account: 3001 }],
    });
    // −250 net, −62.50 VAT: Fortnox's total is rounded to whole kronor (öresavrundning), −313.
    await pipeline.service.transfer(partial);
    const { fortnoxInvoiceNumber: partialNumber } = await pipeline.transferred('demo', partial.invoiceId);
    expect(await told(partial.invoiceId)).toMatchObject({ fortnoxInvoiceNumber: partialNumber, creditedFortnoxInvoiceNumber: originalNumber, total: -313 });

    const full = anInvoice({ customer: original.customer, credit: { originalInvoiceId: original.invoiceId, full: true }, rows: [] });
    await pipeline.service.transfer(full);
    const { fortnoxInvoiceNumber: fullNumber } = await pipeline.transferred('demo', full.invoiceId);
    const credit = await sandboxClient(pipeline.fortnox, '1').invoices.get(fullNumber);
    expect(credit).toMatchObject({ Credit: true, CreditInvoiceReference: originalNumber });
    expect(await told(full.invoiceId)).toMatchObject({ fortnoxInvoiceNumber: fullNumber, creditedFortnoxInvoiceNumber: originalNumber, total: credit?.Total });
    expect(fullNumber).not.toBe(partialNumber);
  });
});

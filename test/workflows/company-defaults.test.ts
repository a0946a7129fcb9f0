import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/*
 * A Fortnox company with an invoice fee, freight and prices including VAT in its invoice settings: Fortnox fills
 * every field a create leaves out from them. Summa's totals must come out all the same, for invoices and credits.
 * Figures by hand: one row of 4 × 250 at 25 % is net 1000, VAT 250, total 1250.
 */
describe('a Fortnox company with an invoice fee, freight and VAT-included prices', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
    await pipeline.fortnoxControl.invoiceSettings('1', { administrationFee: 50, freight: 25, vatIncluded: true });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const held = async (documentNumber: string) => (await pipeline.fortnoxControl.state('1')).invoices.find((invoice) => invoice.DocumentNumber === documentNumber);
  const rows = [{ description: 'Affisch A2', quantity: 4, unitPrice: 250, vatPercent: 25 as const, account: 3001 }];

  it('gives Summa’s totals, with no fee, no freight and prices excluding VAT, for the invoice and its full credit', async () => {
    const invoice = anInvoice({ project: undefined, costCentre: undefined, rows, totals: { net: 1000, vat: 250, total: 1250 } });
    await pipeline.service.transfer(invoice);
    const { fortnoxInvoiceNumber } = await pipeline.transferred('demo', invoice.invoiceId);
    expect(await held(fortnoxInvoiceNumber)).toMatchObject({ AdministrationFee: 0, Freight: 0, VATIncluded: false, Net: 1000, TotalVAT: 250, Total: 1250 });

    const credit = anInvoice({ project: undefined, costCentre: undefined, rows: [], credit: { originalInvoiceId: invoice.invoiceId, full: true } });
    await pipeline.service.transfer(credit);
    const credited = await pipeline.transferred('demo', credit.invoiceId);
    // Fortnox's credit action mirrors the original, fee and freight included: 0 stays 0.
    expect(await held(credited.fortnoxInvoiceNumber)).toMatchObject({ Credit: 'true', AdministrationFee: 0, Freight: 0, VATIncluded: false, Net: -1000, TotalVAT: -250, Total: -1250 });
  });

  it('gives Summa’s totals for a partial credit', async () => {
    const original = anInvoice({ project: undefined, costCentre: undefined, rows });
    await pipeline.service.transfer(original);
    await pipeline.transferred('demo', original.invoiceId);
    const credit = anInvoice({
      project: undefined,
      costCentre: undefined,
      rows: [{ ...rows[0]!, quantity: -1 }],
      credit: { originalInvoiceId: original.invoiceId, full: false },
      totals: { net: -250, vat: -62.5, total: -312.5 },
    });
    await pipeline.service.transfer(credit);
    const { fortnoxInvoiceNumber } = await pipeline.transferred('demo', credit.invoiceId);
    // -312.50 rounds to -313 in whole kronor (öresavrundning, within the totals check's 50 öre).
    expect(await held(fortnoxInvoiceNumber)).toMatchObject({ AdministrationFee: 0, Freight: 0, VATIncluded: false, Net: -250, TotalVAT: -62.5 });
  });
});

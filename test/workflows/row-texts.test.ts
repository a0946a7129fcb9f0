import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/* A print shop's row text longer than a Fortnox row (issue 14, "Row texts over 255 characters"), read back from Fortnox. */
describe('a row text longer than 255 characters', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('continues on text rows right after its priced row, in order and whole, adding nothing to the amounts', async () => {
    const text =
      'Broschyr A4 stående, 16 sidor + omslag. Inlaga: Munken Polar 120 g, 4+4 färger. Omslag: Invercote G 260 g, 4+0 färger, ' +
      'matt laminat på utsidan, spotlack på logotypen. Falsning, häftning med två klamrar, beskärning till 210 × 297 mm. ' +
      'Packas i kartonger om 250 ex, märkta med ordernummer och antal. Leverans till kundens lager i Östhammar, ' +
      'bokad tid vardagar 07–15. Provtryck godkänt 2026-11-20 av Åsa Öberg.';
    expect(text.length).toBeGreaterThan(255);
    const invoice = anInvoice({
      rows: [
        { description: text, quantity: 1000, unitPrice: 2.5, vatPercent: 25, account: 3001 },
        { description: 'Bok: Årsberättelse', quantity: 20, unitPrice: 150, vatPercent: 6, account: 3003 },
      ],
      totals: { net: 5500, vat: 805, total: 6305 },
    });
    await pipeline.service.transfer(invoice);
    const { fortnoxInvoiceNumber } = await pipeline.transferred('demo', invoice.invoiceId);
    const rows = (await sandboxClient(pipeline.fortnox, '1').invoices.get(fortnoxInvoiceNumber))?.InvoiceRows ?? [];
    expect(rows.map((row) => row.Total)).toEqual([2500, 0, 3000]);
    expect(rows.every((row) => (row.Description ?? '').length <= 255)).toBe(true);
    expect(`${rows[0]?.Description ?? ''} ${rows[1]?.Description ?? ''}`).toBe(text);
    expect(rows[1]).toMatchObject({ AccountNumber: 3001, VAT: 25 });
    expect(rows[2]?.Description).toBe('Bok: Årsberättelse');
  });
});

import { describe, expect, it } from 'vitest';
import { computeInvoiceTotals, type TotalsRowInput } from '../../src/sandbox/fortnox/invoice-totals.js';
import { fortnoxJson } from '../../src/sandbox/fortnox/json-encoding.js';

const row = (price: number, deliveredQuantity: number, vat: number, extra: Partial<TotalsRowInput> = {}): TotalsRowInput => ({
  price,
  deliveredQuantity,
  vat,
  discount: 0,
  discountType: 'PERCENT',
  ...extra,
});

describe('sandbox invoice totals', () => {
  it('reproduces Fortnox\'s recorded example: 100 at 25 % + freight 25 + fee 50 is 218.75, Total 219, RoundOff 0.25', () => {
    const totals = computeInvoiceTotals({ rows: [row(100, 1, 25)], freight: 25, administrationFee: 50, vatIncluded: false });
    expect(totals).toMatchObject({ net: 100, gross: 100, freightVAT: 6.25, administrationFeeVAT: 12.5, totalVAT: 43.75, total: 219, roundOff: 0.25 });
  });

  it('computes VAT per rate on a mixed 25 % / 6 % invoice and rounds the total down when the öre are below 50', () => {
    const totals = computeInvoiceTotals({ rows: [row(99.9, 3, 25), row(45.5, 2, 6)], freight: 0, administrationFee: 0, vatIncluded: false });
    // 299.70 × 25 % = 74.925 → 74.93; 91.00 × 6 % = 5.46; 390.70 + 80.39 = 471.09 → 471
    expect(totals).toMatchObject({ net: 390.7, totalVAT: 80.39, total: 471, roundOff: -0.09 });
    expect(totals.rows.map((r) => r.total)).toEqual([299.7, 91]);
  });

  it('computes VAT on the summed rows of a rate, not row by row', () => {
    // Per row 0.02 × 25 % = 0.005 → 0.01 twice = 0.02; on the sum 0.04 × 25 % = 0.01.
    const totals = computeInvoiceTotals({ rows: [row(0.02, 1, 25), row(0.02, 1, 25)], freight: 0, administrationFee: 0, vatIncluded: false });
    expect(totals.totalVAT).toBe(0.01);
  });

  it('rounds price and quantity to 2 decimals half-up before multiplying', () => {
    const totals = computeInvoiceTotals({ rows: [row(1.125, 1.125, 25)], freight: 0, administrationFee: 0, vatIncluded: false });
    expect(totals.rows[0]).toMatchObject({ price: 1.13, deliveredQuantity: 1.13, total: 1.28 }); // 1.2769 → 1.28
  });

  it('takes a percent discount off the row and an amount discount off the row total', () => {
    const totals = computeInvoiceTotals({
      rows: [row(200, 2, 25, { discount: 12.5 }), row(100, 3, 25, { discount: 50, discountType: 'AMOUNT' })],
      freight: 0,
      administrationFee: 0,
      vatIncluded: false,
    });
    expect(totals.rows.map((r) => r.total)).toEqual([350, 250]);
    expect(totals).toMatchObject({ net: 600, totalVAT: 150, total: 750, roundOff: 0 });
  });

  it('extracts the VAT from prices that include it', () => {
    const totals = computeInvoiceTotals({ rows: [row(125, 1, 25), row(106, 1, 6)], freight: 0, administrationFee: 0, vatIncluded: true });
    expect(totals).toMatchObject({ net: 200, totalVAT: 31, total: 231, roundOff: 0 });
    expect(totals.rows[0]).toMatchObject({ total: 125, totalExcludingVAT: 100, priceExcludingVAT: 100 });
  });

  it('mirrors a credit invoice exactly: negative quantities give negative totals and RoundOff', () => {
    const totals = computeInvoiceTotals({ rows: [row(100, -1, 25)], freight: 0, administrationFee: 0, vatIncluded: false });
    const invoice = computeInvoiceTotals({ rows: [row(100, 1, 25)], freight: 0, administrationFee: 0, vatIncluded: false });
    expect(totals.total).toBe(-invoice.total);
    const odd = computeInvoiceTotals({ rows: [row(10.1, -1, 25)], freight: 0, administrationFee: 0, vatIncluded: false });
    expect(odd).toMatchObject({ totalVAT: -2.53, total: -13, roundOff: -0.37 }); // the mirror of 12.63 → 13, +0.37
  });
});

describe('sandbox JSON encoding', () => {
  it('escapes non-ASCII characters and slashes the way Fortnox does', () => {
    expect(fortnoxJson({ City: 'Göteborg', '@url': 'https://api.fortnox.se/3/customers/1', Emoji: '📄' })).toBe(
      '{"City":"G\\u00f6teborg","@url":"https:\\/\\/api.fortnox.se\\/3\\/customers\\/1","Emoji":"\\ud83d\\udcc4"}',
    );
    expect(JSON.parse(fortnoxJson({ Name: 'Åkessons Tryckeri' }))).toEqual({ Name: 'Åkessons Tryckeri' });
  });
});

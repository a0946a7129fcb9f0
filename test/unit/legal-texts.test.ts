import { describe, expect, it } from 'vitest';
import { parseSummaInvoice } from '../../src/summa/invoice-contract.js';

const invoice = (extra: Record<string, unknown>) => ({
  schemaVersion: 1,
  tenant: 'demo',
  invoiceId: 'L-1',
  orderNumber: 'O-1',
  invoiceDate: '2026-12-01',
  customer: { customerNumber: 'K-1', name: 'Druckerei GmbH', type: 'COMPANY', vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789' },
  rows: [{ description: 'Broschyr', quantity: 1, unitPrice: 10, vatPercent: 0, account: 3108 }],
  ...extra,
});

describe('remarks and the legal VAT text', () => {
  it('refuses remarks that leave no room for the whole legal text, saying how many characters are available', () => {
    // The goods text for DE123456789 is 165 characters, on its own line: 1024 − 165 − 1 = 858.
    expect(parseSummaInvoice(invoice({ remarks: 'R'.repeat(858) })).ok).toBe(true);
    const result = parseSummaInvoice(invoice({ remarks: 'R'.repeat(859) }));
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'remarks', message: "must be at most 858 characters for this customer: the legal VAT text (165 characters) follows it within Fortnox's 1024 and is never cut" },
    ]);
  });

  it('leaves the whole 1024 characters to the remarks of a customer without a legal text', () => {
    expect(parseSummaInvoice(invoice({ remarks: 'R'.repeat(1024), customer: { name: 'Kund AB', type: 'COMPANY' }, rows: [{ description: 'B', quantity: 1, unitPrice: 10, vatPercent: 25, account: 3001 }] })).ok).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { formatQuantity } from '../../src/mapping/invoice.js';
import { parseSummaInvoice } from '../../src/summa/invoice-contract.js';

const invoiceWithQuantity = (quantity: number) => ({
  schemaVersion: 1,
  tenant: 'demo',
  invoiceId: 'Q-1',
  orderNumber: 'O-1',
  invoiceDate: '2026-12-01',
  customer: { customerNumber: 'K-1', name: 'Tryckeri Ängeln AB', type: 'COMPANY' },
  rows: [{ description: 'Broschyr', quantity, unitPrice: 10, vatPercent: 25, account: 3001 }],
});
const problemsOf = (quantity: number) => {
  const result = parseSummaInvoice(invoiceWithQuantity(quantity));
  return result.ok ? [] : result.problems;
};

describe('row quantities', () => {
  it.each([1, 1000, 1.5, 0.01, 2.25, -100, -0.75, 139393437.11])('takes %s, which Fortnox keeps as it is', (quantity) => {
    expect(problemsOf(quantity)).toEqual([]);
  });

  it.each([1.125, 0.001, 1e-7, -2.333])('refuses %s at the edge: Fortnox would round it to two decimals after creation', (quantity) => {
    expect(problemsOf(quantity)).toEqual([{ path: 'rows.0.quantity', message: 'must have at most two decimals (Fortnox rounds quantities to two)' }]);
  });

  it.each([
    [1000, '1000'],
    [1.5, '1.5'],
    [0.01, '0.01'],
    [-0.25, '-0.25'],
    [-100, '-100'],
    [2.1, '2.1'],
    [9.99, '9.99'],
    [1e21, '1000000000000000000000'],
    [123456789012.34, '123456789012.34'],
  ])('writes %s as "%s", never in exponent notation', (quantity, text) => {
    expect(formatQuantity(quantity)).toBe(text);
    expect(formatQuantity(quantity)).toMatch(/^-?\d+(\.\d{1,2})?$/);
  });

  it('would round, not write an exponent, for a quantity the contract refuses', () => {
    expect(String(1e-7)).toBe('1e-7');
    expect(formatQuantity(1e-7)).toBe('0');
    expect(formatQuantity(1.125)).toBe('1.13');
  });
});

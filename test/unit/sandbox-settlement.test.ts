import { describe, expect, it } from 'vitest';
import { settle, settledAmount } from '../../src/sandbox/fortnox/settlement.js';

const payment = (amount: number, paymentDate: string, number: number) => ({ amount, paymentDate, number });

describe('settle: an invoice\'s balance and final pay date from its payments', () => {
  it('keeps the whole total as the balance until something is paid', () => {
    expect(settle(219, [])).toEqual({ balance: 219, finalPayDate: null });
  });

  it('dates the invoice paid by the payment that reached the total, in payment-date order', () => {
    expect(settle(219, [payment(19, '2026-03-20', 2), payment(200, '2026-03-16', 1)])).toEqual({ balance: 0, finalPayDate: '2026-03-20' });
  });

  it('counts to the öre, where binary floating point would leave a remainder', () => {
    expect(settle(0.3, [payment(0.1, '2026-03-16', 1), payment(0.2, '2026-03-16', 2)])).toEqual({ balance: 0, finalPayDate: '2026-03-16' });
  });

  it('keeps the first settling date through an over-payment and loses it when a payment out reopens the invoice', () => {
    expect(settle(100, [payment(100, '2026-03-16', 1), payment(10, '2026-03-17', 2)])).toEqual({ balance: -10, finalPayDate: '2026-03-16' });
    expect(settle(100, [payment(100, '2026-03-16', 1), payment(-30, '2026-03-17', 2)])).toEqual({ balance: 30, finalPayDate: null });
  });

  it('settles a credit invoice by a payment out, and never dates an invoice of 0 kronor', () => {
    expect(settle(-125, [payment(-125, '2026-03-18', 1)])).toEqual({ balance: 0, finalPayDate: '2026-03-18' });
    expect(settle(0, [])).toEqual({ balance: 0, finalPayDate: null });
  });

  it('adds a payment\'s write-offs to what it settles', () => {
    expect(settledAmount({ AmountCurrency: 124.1, WriteOffs: [{ Amount: 0.9 }] })).toBe(125);
  });
});

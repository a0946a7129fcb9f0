// How an invoice's payments settle it: Balance, the unpaid remainder in the invoice's currency, and FinalPayDate,
// the date the invoice became fully paid (scale-and-payments.md, "Paid or not"; fortnox_Invoice).
//
// - Balance starts at the invoice's total. The sandbox computes no tax reduction (TaxReduction null), so Total and
//   TotalToPay are the same; with ROT/RUT the customer pays TotalToPay and the rest comes from Skatteverket.
// - Every registered payment counts, booked or not, and so do its write-offs (bortskrivning: a remainder written
//   off to an account, Fortnox's user help "Registrera delbetalning eller bortskrivning"). Whether Fortnox counts
//   a payment made through the API before it is booked is undocumented; the sandbox counts it.
// - Over-payment is accepted and leaves a negative balance: softwerkab's SDK tests register five payments of
//   10.50 on an invoice of 25 kronor against the live API (FortnoxSDK.Tests InvoicePaymentTests.Test_InvoicePayment_Find).
// - A cancelled invoice keeps Balance = Total: no source shows Fortnox zeroing it, and nothing can pay it (payments
//   need a booked invoice, and only an unbooked one can be cancelled). filter=unpaid leaves it out.
// - A full credit does not settle the original against its credit invoice: whether Fortnox offsets the two is
//   undocumented, so each keeps its own balance until paid.
// - FinalPayDate is the PaymentDate of the payment that brought the balance to 0 (or past it), null while it is
//   not there. An invoice of 0 kronor has Balance 0 and FinalPayDate null ([VCR-23] invoices/all.yml).
import { fromScaled, toScaled } from './money.js';

export interface SettlingPayment {
  /** In the invoice's currency, write-offs included; negative for a payment out (a credit invoice). */
  amount: number;
  paymentDate: string;
  /** The payment number, to order payments of the same day. */
  number: number;
}

export interface Settlement {
  balance: number;
  finalPayDate: string | null;
}

/** The balance and final pay date of an invoice of `total` (incl. VAT, in its currency) after `payments`. */
export function settle(total: number, payments: readonly SettlingPayment[]): Settlement {
  const totalOre = toScaled(total, 2);
  const ordered = [...payments].sort((a, b) => a.paymentDate.localeCompare(b.paymentDate) || a.number - b.number);
  let remaining = totalOre;
  let finalPayDate: string | null = null;
  const settled = (ore: bigint) => (totalOre > 0n ? ore <= 0n : totalOre < 0n ? ore >= 0n : false);
  for (const payment of ordered) {
    const before = settled(remaining);
    remaining -= toScaled(payment.amount, 2);
    if (!settled(remaining)) finalPayDate = null;
    else if (!before) finalPayDate = payment.paymentDate;
  }
  return { balance: fromScaled(remaining, 2), finalPayDate };
}

/** What a stored payment (resources/invoice-payments.ts) settles: AmountCurrency plus its write-offs. */
export function settledAmount(payment: { [key: string]: unknown }): number {
  const writeOffs = Array.isArray(payment.WriteOffs) ? (payment.WriteOffs as { Amount?: unknown }[]) : [];
  const ore = writeOffs.reduce((sum, writeOff) => sum + toScaled(Number(writeOff.Amount ?? 0), 2), toScaled(Number(payment.AmountCurrency ?? 0), 2));
  return fromScaled(ore, 2);
}

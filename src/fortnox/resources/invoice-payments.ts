import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { isoDate, looseBoolean, looseNumber, looseString, validRequest } from '../wire.js';
import { lastModifiedSchema } from './invoices.js';

/** An amount written off a payment's invoice to an account (`fortnox_InvoicePayment_WriteOff`). */
export const writeOffWriteSchema = z.strictObject({
  AccountNumber: z.number().int().min(1000).max(9999),
  Amount: z.number(),
  Description: z.string().optional(),
  CostCenter: z.string().optional(),
  Project: z.string().optional(),
  TransactionInformation: z.string().optional(),
});
export type WriteOffWrite = z.infer<typeof writeOffWriteSchema>;

/**
 * A customer's payment of an invoice as we send it (`fortnox_InvoicePayment`; the writable fields, those softwerkab's
 * SDK does not mark read-only). Needs the `payment` scope, which is not part of `invoice`. `Amount` is in SEK;
 * `AmountCurrency`, in the invoice's currency, is required when that is not SEK. PaymentDate defaults to today.
 */
export const invoicePaymentWriteSchema = z.strictObject({
  InvoiceNumber: z.number().int().positive(),
  Amount: z.number().optional(),
  AmountCurrency: z.number().optional(),
  CurrencyRate: z.number().positive().optional(),
  PaymentDate: isoDate.optional(),
  ModeOfPayment: z.string().optional(),
  ModeOfPaymentAccount: z.number().int().min(1000).max(9999).optional(),
  WriteOffs: z.array(writeOffWriteSchema).optional(),
});
export type InvoicePaymentWrite = z.infer<typeof invoicePaymentWriteSchema>;

/** A payment as Fortnox returns it; lenient (the spec types Number and InvoiceTotal as strings). */
export const invoicePaymentSchema = z.looseObject({
  Number: z.coerce.string(),
  InvoiceNumber: looseNumber,
  Amount: looseNumber,
  AmountCurrency: looseNumber,
  Currency: looseString,
  CurrencyRate: looseNumber,
  CurrencyUnit: looseNumber,
  PaymentDate: looseString,
  Booked: looseBoolean,
  Source: looseString,
  ModeOfPayment: looseString,
  ModeOfPaymentAccount: looseNumber,
  InvoiceCustomerNumber: looseString,
  InvoiceTotal: looseNumber,
  ExternalInvoiceReference1: looseString,
  VoucherNumber: looseNumber,
  VoucherSeries: looseString,
  VoucherYear: looseNumber,
});
export type InvoicePayment = z.infer<typeof invoicePaymentSchema>;

/** A payment in a list (`fortnox_InvoicePaymentListItem`). */
export const invoicePaymentListItemSchema = z.looseObject({
  Number: z.coerce.string(),
  InvoiceNumber: looseNumber,
  Amount: looseNumber,
  Currency: looseString,
  CurrencyRate: looseNumber,
  CurrencyUnit: looseNumber,
  PaymentDate: looseString,
  Booked: looseBoolean,
  Source: looseString,
  WriteOffExist: looseBoolean,
});
export type InvoicePaymentListItem = z.infer<typeof invoicePaymentListItemSchema>;

/** The list filters of `GET /3/invoicepayments` in the spec. */
export const invoicePaymentListFilterSchema = z.strictObject({
  invoicenumber: z.number().int().positive().optional(),
  /** Payments changed since then ("2026-03-10 12:30"). */
  lastmodified: lastModifiedSchema.optional(),
  sortby: z.literal('paymentdate').optional(),
});
export type InvoicePaymentListFilter = z.infer<typeof invoicePaymentListFilterSchema>;

const paymentWrap = z.object({ InvoicePayment: invoicePaymentSchema });
const paymentPath = (number: string, action = '') => `/3/invoicepayments/${encodeURIComponent(number)}${action}`;

export function invoicePayments(transport: FortnoxTransport) {
  return {
    /** The payment, or undefined when there is none with that number. */
    async get(number: string): Promise<InvoicePayment | undefined> {
      return (await transport.find(paymentPath(number), paymentWrap))?.InvoicePayment;
    },

    /** Every payment matching the filter, all pages. */
    async list(filter: InvoicePaymentListFilter = {}): Promise<InvoicePaymentListItem[]> {
      const query = validRequest('GET /3/invoicepayments', invoicePaymentListFilterSchema, filter);
      return transport.listAll('/3/invoicepayments', 'InvoicePayments', invoicePaymentListItemSchema, { ...query });
    },

    /** Registers a payment of a booked invoice; it lowers the invoice's Balance. Not idempotent: never retry blindly. */
    async create(payment: InvoicePaymentWrite): Promise<InvoicePayment> {
      const body = { InvoicePayment: validRequest('POST /3/invoicepayments', invoicePaymentWriteSchema, payment) };
      return (await transport.call('post', '/3/invoicepayments', paymentWrap, { body })).InvoicePayment;
    },

    /** Books the payment (its voucher); a booked payment can no longer be changed or removed. */
    async bookkeep(number: string): Promise<InvoicePayment> {
      return (await transport.call('put', paymentPath(number, '/bookkeep'), paymentWrap)).InvoicePayment;
    },
  };
}

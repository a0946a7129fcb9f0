import { z } from 'zod';
import { FortnoxApiError } from '../errors.js';
import type { FortnoxTransport } from '../transport.js';
import { looseString, validRequest } from '../wire.js';

/**
 * Terms of payment as we send them (`fortnox_TermsOfPayment`: Code 1–25 characters and Description, both
 * required). The OpenAPI file has no number-of-days field: Fortnox derives an invoice's DueDate from the terms it
 * keeps, but the API neither shows nor takes the days, so a caller that needs a due date sends `DueDate` itself.
 * Fortnox upper-cases the code ("30days" becomes "30DAYS").
 */
export const termsOfPaymentWriteSchema = z.strictObject({
  Code: z.string().min(1).max(25),
  Description: z.string().min(1),
});
export type TermsOfPaymentWrite = z.infer<typeof termsOfPaymentWriteSchema>;

export const termsOfPaymentSchema = z.looseObject({
  Code: z.coerce.string(),
  Description: looseString,
});
export type TermsOfPayment = z.infer<typeof termsOfPaymentSchema>;

const termsOfPaymentWrap = z.object({ TermsOfPayment: termsOfPaymentSchema });

/**
 * How Fortnox refuses a terms-of-payment code that exists already: a 400 (its code for this is undocumented, so any 400). Read the
 * terms-of-payment code back to tell a duplicate from another refusal (createOrReadBack).
 */
export const isTermsOfPaymentConflict = (error: unknown): boolean => error instanceof FortnoxApiError && error.status === 400;

export function termsOfPayments(transport: FortnoxTransport) {
  return {
    /** The terms with that code, or undefined when there are none. */
    async get(code: string): Promise<TermsOfPayment | undefined> {
      return (await transport.find(`/3/termsofpayments/${encodeURIComponent(code)}`, termsOfPaymentWrap))?.TermsOfPayment;
    },

    /** Every terms of payment of the company, all pages. */
    list(): Promise<TermsOfPayment[]> {
      return transport.listAll('/3/termsofpayments', 'TermsOfPayments', termsOfPaymentSchema);
    },

    /** Creates terms of payment; a code already in use is refused. */
    async create(terms: TermsOfPaymentWrite): Promise<TermsOfPayment> {
      const body = { TermsOfPayment: validRequest('POST /3/termsofpayments', termsOfPaymentWriteSchema, terms) };
      return (await transport.call('post', '/3/termsofpayments', termsOfPaymentWrap, { body })).TermsOfPayment;
    },
  };
}

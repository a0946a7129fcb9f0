import { z } from 'zod';
import { invoiceIdSchema, tenantKeySchema } from './invoice-contract.js';

/**
 * The write-back: what Summa is told about one invoice's transfer, `PUT <SUMMA_URL>/invoices/<invoiceId>/fortnox`.
 * The one description of it: activities build it, the callback client validates it before sending, and the Summa
 * sandbox validates what it receives with it.
 */
export const summaWriteBackSchema = z
  .strictObject({
    tenant: tenantKeySchema,
    invoiceId: invoiceIdSchema,
    /**
     * `delayed`: Fortnox does not answer and the transfer keeps trying on its own (sent at most once per invoice;
     * nobody needs to act). `transferred`, `needsAttention`, `cancelled`: as they say.
     */
    status: z.enum(['delayed', 'transferred', 'needsAttention', 'cancelled']),
    /** Fortnox's DocumentNumber of the invoice created. */
    fortnoxInvoiceNumber: z.string().trim().min(1).max(30).optional(),
    /*
     * With `transferred`, what Summa should store and show beside the number (all from Fortnox's answer; absent for
     * transfers that started before they were sent): the customer's Fortnox number (keep it, so the next invoice
     * names it), the OCR reference the customer pays with, the due date, and Fortnox's total in the invoice's currency.
     */
    fortnoxCustomerNumber: z.string().trim().min(1).max(1024).optional(),
    ocr: z.string().trim().min(1).max(100).optional(),
    dueDate: z.iso.date().optional(),
    total: z.number().finite().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    /** For a credit invoice: the Fortnox number of the invoice it credits (its own is `fortnoxInvoiceNumber`). */
    creditedFortnoxInvoiceNumber: z.string().trim().min(1).max(30).optional(),
    /** For a person at the print shop, in Swedish: what to fix, or why the transfer was cancelled. */
    message: z.string().trim().min(1).max(2000).optional(),
  })
  .superRefine((update, context) => {
    // Summa shows these to a person; an update without them would leave that person with nothing to act on.
    if (update.status === 'transferred' && update.fortnoxInvoiceNumber === undefined) {
      context.addIssue({ code: 'custom', path: ['fortnoxInvoiceNumber'], message: 'is required when status is transferred' });
    }
    if ((update.status === 'needsAttention' || update.status === 'delayed') && update.message === undefined) {
      context.addIssue({ code: 'custom', path: ['message'], message: `is required when status is ${update.status}` });
    }
  });

export type SummaWriteBack = z.input<typeof summaWriteBackSchema>;

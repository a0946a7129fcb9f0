import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface PostInvoiceInput {
  tenant: string;
  invoiceId: string;
  documentNumber: string;
}

export interface PostInvoiceResult {
  booked: 'booked' | 'alreadyBooked' | 'off';
  sent: 'email' | 'einvoice' | 'alreadySent' | 'off';
}

/**
 * The tenant's posting options, after the number is written back: book the invoice, send it. Both are safe to
 * repeat: the invoice is read first, and Fortnox's send calls (GETs that send) run only while `Sent` is false, so
 * an invoice is never sent twice.
 */
export function postInvoice(deps: ActivityDeps) {
  return async ({ tenant, invoiceId, documentNumber }: PostInvoiceInput): Promise<PostInvoiceResult> => {
    const options = deps.postingFor(tenant);
    const fortnox = deps.fortnoxFor(tenant);
    const result: PostInvoiceResult = { booked: 'off', sent: 'off' };
    if (!options.bookkeep && options.send === 'none') return result;
    try {
      const invoice = await fortnox.invoices.get(documentNumber);
      if (invoice === undefined) throw needsAttention(`Faktura ${documentNumber} finns inte längre i Fortnox — kontrollera i Fortnox.`);
      if (options.bookkeep) {
        result.booked = invoice.Booked === true ? 'alreadyBooked' : 'booked';
        if (invoice.Booked !== true) await fortnox.invoices.bookkeep(documentNumber);
      }
      if (options.send !== 'none') {
        result.sent = invoice.Sent === true ? 'alreadySent' : options.send;
        if (invoice.Sent !== true) await (options.send === 'email' ? fortnox.invoices.email(documentNumber) : fortnox.invoices.einvoice(documentNumber));
      }
      return result;
    } catch (error) {
      throw fortnoxFailure(error, `faktura ${invoiceId} (nr ${documentNumber})`);
    }
  };
}

import { activityInfo } from '@temporalio/activity';
import type { Invoice } from '../src/fortnox/resources/invoices.js';
import { toFortnoxInvoice } from '../src/mapping/invoice.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface CreateFortnoxInvoiceInput {
  invoice: SummaInvoice;
  customerNumber: string;
  /** An earlier attempt of this transfer may have created the invoice without hearing back. */
  mayAlreadyExist: boolean;
}

export interface CreatedInvoice {
  documentNumber: string;
  outcome: 'created' | 'alreadyCreated';
  net: number | undefined;
  vat: number | undefined;
  total: number | undefined;
}

/**
 * Creates the invoice in Fortnox, exactly once. Fortnox has no idempotency key, so the Summa invoice id travels as
 * ExternalInvoiceReference1; whenever an earlier attempt may have created the invoice (this activity's retry, or
 * the workflow says so), that reference is looked up first and a found invoice is used instead of a new one.
 */
export function createFortnoxInvoice(deps: ActivityDeps) {
  return async ({ invoice, customerNumber, mayAlreadyExist }: CreateFortnoxInvoiceInput): Promise<CreatedInvoice> => {
    const fortnox = deps.fortnoxFor(invoice.tenant);
    const what = `faktura ${invoice.invoiceId}`;
    try {
      if (mayAlreadyExist || activityInfo().attempt > 1) {
        const found = await fortnox.invoices.findByExternalReference(invoice.invoiceId);
        // A credit of the invoice may carry the same reference; it is not the invoice we look for.
        const candidates = (await Promise.all(found.map((item) => fortnox.invoices.get(item.DocumentNumber)))).filter(
          (candidate): candidate is Invoice => candidate !== undefined && candidate.Credit !== true,
        );
        if (candidates.length > 1) {
          throw needsAttention(
            `Summa-faktura ${invoice.invoiceId} finns redan flera gånger i Fortnox (nr ${candidates.map((item) => item.DocumentNumber).join(', ')}) — makulera dubbletterna i Fortnox och tryck Försök igen.`,
          );
        }
        const existing = candidates[0];
        if (existing !== undefined) return summary(existing, 'alreadyCreated');
      }
      return summary(await fortnox.invoices.create(toFortnoxInvoice(invoice, customerNumber)), 'created');
    } catch (error) {
      throw fortnoxFailure(error, what);
    }
  };
}

function summary(invoice: Invoice, outcome: CreatedInvoice['outcome']): CreatedInvoice {
  return { documentNumber: invoice.DocumentNumber, outcome, net: invoice.Net, vat: invoice.TotalVAT, total: invoice.Total };
}

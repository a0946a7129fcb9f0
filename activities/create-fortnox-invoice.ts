import { activityInfo } from '@temporalio/activity';
import type { FortnoxClient } from '../src/fortnox/client.js';
import type { Invoice, InvoiceRowWrite } from '../src/fortnox/resources/invoices.js';
import { withoutUndefined } from '../src/mapping/customer.js';
import { toFortnoxInvoice } from '../src/mapping/invoice.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import { compareTotals } from './check-totals.js';
import type { ActivityDeps } from './deps.js';
import { fortnoxFailure, needsAttention } from './failures.js';

export interface CreateFortnoxInvoiceInput {
  invoice: SummaInvoice;
  customerNumber: string;
  termsOfPayment?: string | undefined;
  /** An earlier attempt of this transfer may have created the invoice without hearing back. */
  mayAlreadyExist: boolean;
}

export interface CreatedInvoice {
  documentNumber: string;
  outcome: 'created' | 'alreadyCreated';
  net: number | undefined;
  vat: number | undefined;
  total: number | undefined;
  /** What Summa is told beside the number (the write-back's `ocr`, `dueDate`, `currency`, `creditedFortnoxInvoiceNumber`). */
  ocr?: string | undefined;
  dueDate?: string | undefined;
  currency?: string | undefined;
  /** For a credit invoice, the Fortnox number of the invoice it credits. */
  creditedInvoiceNumber?: string | undefined;
  /**
   * Invoices for the same Summa id that were cancelled in Fortnox (as the totals message tells a user to do) before
   * this one was created in their place: never reused, and Summa is told.
   */
  replacesCancelled?: string[] | undefined;
}

/** The one invoice in Fortnox that stands for this Summa id (see `summaInvoiceInFortnox`), or undefined. */
export async function invoiceBySummaId(fortnox: FortnoxClient, summaInvoiceId: string): Promise<Invoice | undefined> {
  return (await summaInvoiceInFortnox(fortnox, summaInvoiceId)).live;
}

/**
 * The invoices in Fortnox whose ExternalInvoiceReference1 is this Summa id. A credit invoice that credits another
 * of the invoices found does not count: Fortnox's credit action copies the original's reference onto the credit.
 * A credit invoice that is itself the Summa invoice (a partial credit, with its own reference) does count, or its
 * retry would credit the customer twice. A cancelled invoice (makulerad) never stands for it: it is listed apart, so
 * a corrected invoice re-sent after a cancel is created anew instead of writing the cancelled number back. Several
 * live ones is a person's problem.
 */
export async function summaInvoiceInFortnox(fortnox: FortnoxClient, summaInvoiceId: string): Promise<{ live: Invoice | undefined; cancelled: Invoice[] }> {
  const found = await fortnox.invoices.findByExternalReference(summaInvoiceId);
  const invoices = (await Promise.all(found.map((item) => fortnox.invoices.get(item.DocumentNumber)))).filter((candidate): candidate is Invoice => candidate !== undefined);
  const numbers = new Set(invoices.map((candidate) => candidate.DocumentNumber));
  const ours = invoices.filter(
    (candidate) => !(candidate.Credit === true && candidate.CreditInvoiceReference !== undefined && numbers.has(candidate.CreditInvoiceReference)),
  );
  const cancelled = ours.filter((candidate) => candidate.Cancelled === true);
  const candidates = ours.filter((candidate) => candidate.Cancelled !== true);
  if (candidates.length > 1) {
    throw needsAttention(
      `Summa-faktura ${summaInvoiceId} finns flera gånger i Fortnox (nr ${candidates.map((item) => item.DocumentNumber).join(', ')}) — makulera dubbletterna i Fortnox och tryck Försök igen.`,
    );
  }
  return { live: candidates[0], cancelled };
}

/** A final invoice's deductions of earlier a-conto invoices, as rows on the a-conto account, checked against them. */
async function acontoRows(fortnox: FortnoxClient, invoice: SummaInvoice, acontoAccount: number): Promise<InvoiceRowWrite[]> {
  const rows: InvoiceRowWrite[] = [];
  for (const deduction of invoice.acontoDeductions ?? []) {
    const aconto = await invoiceBySummaId(fortnox, deduction.invoiceId);
    if (aconto === undefined) {
      throw needsAttention(
        `A-contofaktura ${deduction.invoiceId} finns inte i Fortnox — överför den först (eller ta bort avdraget i Summa) och tryck Försök igen.`,
      );
    }
    if (aconto.Net !== undefined && deduction.amount > aconto.Net + 0.005) {
      throw needsAttention(
        `Avdraget för a-contofaktura ${deduction.invoiceId} (${deduction.amount.toFixed(2)}) är större än a-contofakturans nettobelopp i Fortnox (nr ${aconto.DocumentNumber}, ${aconto.Net.toFixed(2)}) — rätta avdraget i Summa och tryck Försök igen.`,
      );
    }
    rows.push({
      AccountNumber: acontoAccount,
      Description: `Avgår a-contofaktura ${aconto.DocumentNumber} (Summa ${deduction.invoiceId})`,
      DeliveredQuantity: '-1',
      Price: deduction.amount,
      VAT: deduction.vatPercent,
    });
  }
  return rows;
}

/**
 * The create step: the invoice in Fortnox exactly once (a full credit through Fortnox's credit action), and Fortnox's
 * figures, from the create call's own answer, checked against Summa's totals in the same step. Also says whether the
 * tenant books or sends invoices, so the workflow runs the posting step only for those that do.
 */
export function createFortnoxInvoice(deps: ActivityDeps) {
  const create = createInvoiceOnce(deps);
  const credit = creditFortnoxInvoice(deps);
  return async (input: CreateFortnoxInvoiceInput): Promise<CreatedInvoice & { post: boolean }> => {
    const { invoice } = input;
    const created = invoice.credit?.full === true ? await credit({ invoice }) : await create(input);
    if (invoice.totals !== undefined) compareTotals(created.documentNumber, invoice.totals, created);
    const posting = deps.postingFor(invoice.tenant);
    return { ...created, post: posting.bookkeep || posting.send !== 'none' };
  };
}

/**
 * Creates the invoice (or partial credit invoice) in Fortnox, exactly once. Fortnox has no idempotency key, so the
 * Summa invoice id travels as ExternalInvoiceReference1; whenever an earlier attempt may have created the invoice
 * (this activity's retry, or the workflow says so), that reference is looked up first and a found invoice is used.
 * On its own it is the create step of transfers started before the totals check moved into that step.
 */
export function createInvoiceOnce(deps: ActivityDeps) {
  return async ({ invoice, customerNumber, termsOfPayment, mayAlreadyExist }: CreateFortnoxInvoiceInput): Promise<CreatedInvoice> => {
    const fortnox = deps.fortnoxFor(invoice.tenant);
    try {
      let replacesCancelled: string[] | undefined;
      if (mayAlreadyExist || activityInfo().attempt > 1) {
        const existing = await summaInvoiceInFortnox(fortnox, invoice.invoiceId);
        if (existing.live !== undefined) return summary(existing.live, 'alreadyCreated');
        if (existing.cancelled.length > 0) replacesCancelled = existing.cancelled.map((cancelled) => cancelled.DocumentNumber);
      }
      // Fortnox's code for an unknown currency is undocumented, so the currency is checked here, by name.
      const currency =
        invoice.currency === 'SEK' ? undefined : await deps.cacheFor(invoice.tenant).memo(`currency:${invoice.currency}`, () => fortnox.currencies.get(invoice.currency));
      if (invoice.currency !== 'SEK' && currency === undefined) {
        deps.cacheFor(invoice.tenant).invalidate(`currency:${invoice.currency}`);
        throw needsAttention(
          `Valutan ${invoice.currency} är inte upplagd i Fortnox — lägg upp den i Fortnox (Inställningar, Bokföring, Valutor) eller fakturera i en annan valuta i Summa, och tryck Försök igen.`,
        );
      }
      let creditInvoiceReference: string | undefined;
      if (invoice.credit !== undefined) {
        const original = await invoiceBySummaId(fortnox, invoice.credit.originalInvoiceId);
        if (original === undefined) throw neverTransferred(invoice.credit.originalInvoiceId, invoice.invoiceId);
        creditInvoiceReference = original.DocumentNumber;
      }
      const deductions = await acontoRows(fortnox, invoice, deps.postingFor(invoice.tenant).acontoAccount);
      // The register's unit, which Summa's per-one rate is converted to (currencyFields).
      const currencyUnit = currency?.Unit !== undefined && Number.isInteger(currency.Unit) && currency.Unit > 0 ? currency.Unit : 1;
      const fortnoxInvoice = toFortnoxInvoice(invoice, { customerNumber, termsOfPayment, creditInvoiceReference, acontoRows: deductions, currencyUnit });
      if (deductions.length > 0) {
        const net = (fortnoxInvoice.InvoiceRows ?? []).reduce((sum, row) => sum + Number(row.DeliveredQuantity ?? 0) * (row.Price ?? 0), 0);
        if (net < 0) {
          throw needsAttention(
            `A-contoavdragen överstiger slutfakturans belopp (netto efter avdrag ${net.toFixed(2)}) — rätta avdragen i Summa och tryck Försök igen.`,
          );
        }
      }
      return { ...summary(await fortnox.invoices.create(fortnoxInvoice), 'created'), ...(replacesCancelled === undefined ? {} : { replacesCancelled }) };
    } catch (error) {
      throw fortnoxFailure(error, `faktura ${invoice.invoiceId}`);
    }
  };
}

/**
 * Credits a whole invoice with Fortnox's credit action. Repeating it is safe: an original that already names its
 * credit invoice is not credited again.
 */
export function creditFortnoxInvoice(deps: ActivityDeps) {
  return async ({ invoice }: { invoice: SummaInvoice }): Promise<CreatedInvoice> => {
    const fortnox = deps.fortnoxFor(invoice.tenant);
    const originalId = invoice.credit?.originalInvoiceId ?? '';
    try {
      const original = await invoiceBySummaId(fortnox, originalId);
      if (original === undefined) throw neverTransferred(originalId, invoice.invoiceId);
      const alreadyCredited = original.CreditInvoiceReference !== undefined && original.CreditInvoiceReference !== '0';
      const credited = alreadyCredited ? original : await fortnox.invoices.credit(original.DocumentNumber);
      const creditNumber = credited.CreditInvoiceReference;
      const credit = creditNumber === undefined ? undefined : await fortnox.invoices.get(creditNumber);
      if (credit === undefined) throw needsAttention(`Fortnox krediterade faktura ${original.DocumentNumber} men kreditfakturan hittas inte — kontrollera i Fortnox.`);
      return summary(credit, alreadyCredited ? 'alreadyCreated' : 'created');
    } catch (error) {
      throw fortnoxFailure(error, `krediteringen av faktura ${originalId}`);
    }
  };
}

function neverTransferred(originalId: string, creditId: string) {
  return needsAttention(
    `Summa-faktura ${originalId}, som ${creditId} krediterar, har aldrig överförts till Fortnox — överför originalet först, eller kreditera direkt i Fortnox och avbryt överföringen.`,
  );
}

function summary(invoice: Invoice, outcome: CreatedInvoice['outcome']): CreatedInvoice {
  const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  return withoutUndefined({
    documentNumber: invoice.DocumentNumber,
    outcome,
    net: invoice.Net,
    vat: invoice.TotalVAT,
    total: invoice.Total,
    ocr: text(invoice.OCR),
    dueDate: text(invoice.DueDate),
    currency: text(invoice.Currency),
    creditedInvoiceNumber: invoice.Credit === true ? text(invoice.CreditInvoiceReference) : undefined,
  });
}

import type { InvoiceRowWrite, InvoiceWrite } from '../fortnox/resources/invoices.js';
import type { SummaInvoice, SummaInvoiceRow } from '../summa/invoice-contract.js';
import { withoutUndefined } from './customer.js';

/** The Fortnox invoice for a Summa invoice, for the customer number the customer step settled on. */
export function toFortnoxInvoice(invoice: SummaInvoice, customerNumber: string): InvoiceWrite {
  const delivery = invoice.deliveryAddress;
  return withoutUndefined({
    CustomerNumber: customerNumber,
    InvoiceDate: invoice.invoiceDate,
    DueDate: invoice.dueDate ?? (invoice.termsOfPaymentDays === undefined ? undefined : addDays(invoice.invoiceDate, invoice.termsOfPaymentDays)),
    Currency: invoice.currency,
    YourReference: invoice.yourReference,
    OurReference: invoice.ourReference,
    YourOrderNumber: invoice.yourOrderNumber,
    Remarks: invoice.remarks,
    // The idempotency key: how a retry finds an invoice whose creation it could not confirm.
    ExternalInvoiceReference1: invoice.invoiceId,
    ExternalInvoiceReference2: invoice.orderNumber,
    CostCenter: invoice.costCentre?.code,
    Project: invoice.project?.number,
    DeliveryName: delivery?.name,
    DeliveryAddress1: delivery?.address1,
    DeliveryAddress2: delivery?.address2,
    DeliveryZipCode: delivery?.zipCode,
    DeliveryCity: delivery?.city,
    InvoiceRows: invoice.rows.map(toFortnoxRow),
  });
}

/**
 * Rows are booked by account, as Summa posts them. Summa's article numbers are Summa's own: Fortnox refuses an
 * ArticleNumber it does not have (2001302), and would replace the row's account and text with the article's,
 * so they are not sent.
 */
function toFortnoxRow(row: SummaInvoiceRow): InvoiceRowWrite {
  return withoutUndefined({
    AccountNumber: row.account,
    Description: row.description,
    DeliveredQuantity: String(row.quantity),
    Price: row.unitPrice,
    Discount: row.discountPercent,
    DiscountType: row.discountPercent === undefined ? undefined : ('PERCENT' as const),
    Unit: row.unit,
    VAT: row.vatPercent,
    CostCenter: row.costCentre,
    Project: row.projectNumber,
  });
}

/** The cost centres an invoice uses: its default and every row's, each once, with a description to create it. */
export function costCentresOf(invoice: SummaInvoice): { code: string; description: string }[] {
  const byCode = new Map<string, string>();
  if (invoice.costCentre !== undefined) byCode.set(invoice.costCentre.code, invoice.costCentre.description);
  for (const row of invoice.rows) {
    // Summa sends only the code on a row; a centre first seen there is created under its code.
    if (row.costCentre !== undefined && !byCode.has(row.costCentre)) byCode.set(row.costCentre, row.costCentre);
  }
  return [...byCode].map(([code, description]) => ({ code, description }));
}

function addDays(date: string, days: number): string {
  const result = new Date(`${date}T00:00:00Z`);
  result.setUTCDate(result.getUTCDate() + days);
  return result.toISOString().slice(0, 10);
}

import { z } from 'zod';
import type { FortnoxTransport } from '../transport.js';
import { isoDate, looseBoolean, looseNumber, looseString, text, validRequest } from '../wire.js';

/** An invoice row as we send it (`fortnox_InvoicePayload_InvoiceRow`). */
export const invoiceRowWriteSchema = z.strictObject({
  AccountNumber: z.number().int().min(1000).max(9999).optional(),
  ArticleNumber: text(50).optional(),
  // The payload schema sets no limit; the response schema says 255, and Fortnox accepts 255 (fortnox-api.md §4.2).
  Description: text(255).optional(),
  // A string in the OpenAPI file; Fortnox rounds it to two decimals. Negative on the rows of a credit invoice.
  DeliveredQuantity: z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number such as "2" or "1.5"').optional(),
  Price: z.number().optional(),
  Discount: z.number().optional(),
  DiscountType: z.enum(['AMOUNT', 'PERCENT']).optional(),
  Unit: text(1024).optional(),
  VAT: z.number().int().optional(),
  CostCenter: text(6).optional(),
  Project: text(20).optional(),
});
export type InvoiceRowWrite = z.infer<typeof invoiceRowWriteSchema>;

/**
 * How Fortnox e-mails the invoice when `email()` is called (`fortnox_InvoicePayload_EmailInformation`). The file
 * gives no limit for the addresses; 1024 is the old docs' (accodeing/fortnox-api). `{no}` in the subject or body
 * is the document number, `{name}` the customer's name.
 */
export const emailInformationWriteSchema = z.strictObject({
  EmailAddressTo: text(1024).optional(),
  EmailAddressCC: text(1024).optional(),
  EmailAddressBCC: text(1024).optional(),
  EmailSubject: text(100).optional(),
  EmailBody: text(20000).optional(),
});
export type EmailInformationWrite = z.infer<typeof emailInformationWriteSchema>;

/** An invoice as we send it (`fortnox_InvoicePayload`, the fields we use, limits from the OpenAPI file). */
export const invoiceWriteSchema = z.strictObject({
  CustomerNumber: z.string().min(1),
  InvoiceDate: isoDate.optional(),
  DueDate: isoDate.optional(),
  DeliveryDate: isoDate.optional(),
  TermsOfPayment: text(1024).optional(),
  // Must be set up in the company (`currencies`). Without CurrencyRate Fortnox takes the currency's sell rate.
  Currency: z.string().length(3).optional(),
  CurrencyRate: z.number().positive().optional(),
  CurrencyUnit: z.number().int().positive().optional(),
  YourReference: text(50).optional(),
  OurReference: text(50).optional(),
  // 75 in the OpenAPI file; older docs and one client library say 30 (fortnox-api.md §4.2). We follow the spec.
  YourOrderNumber: text(75).optional(),
  Remarks: text(1024).optional(),
  Comments: text(1024).optional(),
  ExternalInvoiceReference1: text(80).optional(),
  ExternalInvoiceReference2: text(80).optional(),
  CostCenter: text(6).optional(),
  Project: text(20).optional(),
  Language: z.enum(['SV', 'EN']).optional(),
  // Left out, these three come from the customer card, else the company's settings; an explicit 0 or false wins.
  VATIncluded: z.boolean().optional(),
  AdministrationFee: z.number().optional(),
  Freight: z.number().optional(),
  InvoiceType: z.enum(['INVOICE', 'AGREEMENTINVOICE', 'INTRESTINVOICE', 'SUMMARYINVOICE', 'CASHINVOICE']).optional(),
  // The invoice this one credits: with negative quantities on the rows it makes a (partial) credit invoice.
  CreditInvoiceReference: z.string().regex(/^\d+$/, 'the document number of the credited invoice').optional(),
  EmailInformation: emailInformationWriteSchema.optional(),
  DeliveryName: text(1024).optional(),
  DeliveryAddress1: text(1024).optional(),
  DeliveryAddress2: text(1024).optional(),
  DeliveryZipCode: text(1024).optional(),
  DeliveryCity: text(1024).optional(),
  DeliveryCountry: text(1024).optional(),
  InvoiceRows: z.array(invoiceRowWriteSchema).optional(),
});
export type InvoiceWrite = z.infer<typeof invoiceWriteSchema>;

export const invoiceRowSchema = z.looseObject({
  RowId: looseNumber,
  AccountNumber: looseNumber,
  ArticleNumber: looseString,
  Description: looseString,
  DeliveredQuantity: looseNumber,
  Price: looseNumber,
  Discount: looseNumber,
  DiscountType: looseString,
  VAT: looseNumber,
  Total: looseNumber,
  CostCenter: looseString,
  Project: looseString,
});

/** An invoice as Fortnox returns it; lenient (`Credit` arrives as "false", empty dates as ""). */
export const invoiceSchema = z.looseObject({
  DocumentNumber: z.coerce.string(),
  CustomerNumber: looseString,
  CustomerName: looseString,
  InvoiceDate: looseString,
  DueDate: looseString,
  DeliveryDate: looseString,
  DeliveryCountry: looseString,
  Currency: looseString,
  CurrencyRate: looseNumber,
  CurrencyUnit: looseNumber,
  TermsOfPayment: looseString,
  OCR: looseString,
  ExternalInvoiceReference1: looseString,
  ExternalInvoiceReference2: looseString,
  YourOrderNumber: looseString,
  CostCenter: looseString,
  Project: looseString,
  Net: looseNumber,
  Gross: looseNumber,
  TotalVAT: looseNumber,
  RoundOff: looseNumber,
  AdministrationFee: looseNumber,
  Freight: looseNumber,
  VATIncluded: looseBoolean,
  Total: looseNumber,
  TotalToPay: looseNumber,
  /** What is still owed, in the invoice's currency; 0 (or less) once paid. */
  Balance: looseNumber,
  /** The date the invoice became fully paid; unset while it is not. */
  FinalPayDate: looseString,
  /** How many payment reminders were sent, and the last one's date. */
  Reminders: looseNumber,
  LastRemindDate: looseString,
  Booked: looseBoolean,
  Cancelled: looseBoolean,
  Sent: looseBoolean,
  Credit: looseBoolean,
  CreditInvoiceReference: looseString,
  VoucherNumber: looseNumber,
  VoucherSeries: looseString,
  VoucherYear: looseNumber,
  InvoiceRows: z.array(invoiceRowSchema).optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

/** An invoice in a list: the fields of `fortnox_InvoiceListItem` (CurrencyRate arrives as a string, "1"). */
export const invoiceListItemSchema = z.looseObject({
  DocumentNumber: z.coerce.string(),
  CustomerNumber: looseString,
  CustomerName: looseString,
  InvoiceDate: looseString,
  DueDate: looseString,
  InvoiceType: looseString,
  OCR: looseString,
  ExternalInvoiceReference1: looseString,
  ExternalInvoiceReference2: looseString,
  Currency: looseString,
  CurrencyRate: looseNumber,
  CurrencyUnit: looseNumber,
  CostCenter: looseString,
  Project: looseString,
  TermsOfPayment: looseString,
  WayOfDelivery: looseString,
  Total: looseNumber,
  Balance: looseNumber,
  FinalPayDate: looseString,
  Booked: looseBoolean,
  Cancelled: looseBoolean,
  Sent: looseBoolean,
  NoxFinans: looseBoolean,
  VoucherNumber: looseNumber,
  VoucherSeries: looseString,
  VoucherYear: looseNumber,
});
export type InvoiceListItem = z.infer<typeof invoiceListItemSchema>;

const invoiceWrap = z.object({ Invoice: invoiceSchema });

/** Fortnox's `lastmodified`: "2019-03-10 12:30", seconds optional, Swedish time (fortnox-api.md §4.0). */
export const lastModifiedSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/, 'YYYY-MM-DD HH:MM, e.g. "2026-03-10 12:30"');

/**
 * The list filters we use (query parameter names as Fortnox spells them). Fortnox ANDs them in practice although
 * its docs allow one resource filter at a time with the global ones (fortnox-api.md §4.0). `filter` values outside
 * the spec's enum are Fortnox's to refuse (2000587); the dates are checked here.
 */
export const invoiceListFilterSchema = z.strictObject({
  filter: z.string().optional(),
  customernumber: z.string().optional(),
  documentnumber: z.string().optional(),
  externalinvoicereference1: z.string().optional(),
  yourordernumber: z.string().optional(),
  /** Invoice date range, inclusive. */
  fromdate: isoDate.optional(),
  todate: isoDate.optional(),
  /** Invoices changed since then: created, updated, paid, credited, cancelled, reminded or booked. */
  lastmodified: lastModifiedSchema.optional(),
  /** true: credit invoices only; false: the others. */
  credit: z.boolean().optional(),
});
export type InvoiceListFilter = Omit<z.infer<typeof invoiceListFilterSchema>, 'filter'> & {
  filter?: 'cancelled' | 'fullypaid' | 'unpaid' | 'unpaidoverdue' | 'unbooked';
};

const invoicePath = (documentNumber: string, action = '') => `/3/invoices/${encodeURIComponent(documentNumber)}${action}`;

export function invoices(transport: FortnoxTransport) {
  return {
    /** The invoice, or undefined when Fortnox has none with that number. */
    async get(documentNumber: string): Promise<Invoice | undefined> {
      return (await transport.find(invoicePath(documentNumber), invoiceWrap))?.Invoice;
    },

    /** Every invoice matching the filter, all pages (Fortnox's largest page, 500, at a time). */
    async list(filter: InvoiceListFilter = {}): Promise<InvoiceListItem[]> {
      const query = validRequest('GET /3/invoices', invoiceListFilterSchema, filter);
      return transport.listAll('/3/invoices', 'Invoices', invoiceListItemSchema, { ...query });
    },

    /**
     * Invoices whose `ExternalInvoiceReference1` is exactly `reference`. Fortnox's filter is a case-insensitive
     * substring match (`EXT-1` also finds `EXT-10`), so the exact comparison happens here.
     */
    async findByExternalReference(reference: string): Promise<InvoiceListItem[]> {
      const candidates = await this.list({ externalinvoicereference1: reference });
      return candidates.filter((invoice) => invoice.ExternalInvoiceReference1 === reference);
    },

    /** Creates the invoice; Fortnox assigns the number from the company's unbroken series. */
    async create(invoice: InvoiceWrite): Promise<Invoice> {
      const body = { Invoice: validRequest('POST /3/invoices', invoiceWriteSchema, invoice) };
      return (await transport.call('post', '/3/invoices', invoiceWrap, { body })).Invoice;
    },

    /**
     * Credits the whole invoice (Fortnox's credit action). Fortnox answers with the *original* invoice, whose
     * `CreditInvoiceReference` names the new credit invoice.
     */
    async credit(documentNumber: string): Promise<Invoice> {
      return (await transport.call('put', invoicePath(documentNumber, '/credit'), invoiceWrap)).Invoice;
    },

    /** Cancels (makulerar) an unbooked invoice; Fortnox answers with the invoice, `Cancelled` true. */
    async cancel(documentNumber: string): Promise<Invoice> {
      return (await transport.call('put', invoicePath(documentNumber, '/cancel'), invoiceWrap)).Invoice;
    },

    /** Books the invoice (creates its voucher); a booked invoice can no longer be changed. */
    async bookkeep(documentNumber: string): Promise<Invoice> {
      return (await transport.call('put', invoicePath(documentNumber, '/bookkeep'), invoiceWrap)).Invoice;
    },

    /**
     * **Sends** the invoice by e-mail and sets `Sent` — a GET with a side effect (fortnox-api.md §6 item 12).
     * Fortnox sends again on every call, so read the invoice first and call only when `Sent` is false; never retry
     * it blindly: after a timeout or a lost answer, read `Sent` again before deciding. The address is the invoice's
     * `EmailInformation.EmailAddressTo`, which Fortnox fills from the customer's invoice e-mail.
     */
    async email(documentNumber: string): Promise<Invoice> {
      return (await transport.call('get', invoicePath(documentNumber, '/email'), invoiceWrap)).Invoice;
    },

    /**
     * **Sends** the invoice as an e-invoice and sets `Sent` — a GET with a side effect, like {@link email}: check
     * `Sent` first and never retry it blindly. The customer needs an organisation number.
     */
    async einvoice(documentNumber: string): Promise<Invoice> {
      return (await transport.call('get', invoicePath(documentNumber, '/einvoice'), invoiceWrap)).Invoice;
    },
  };
}

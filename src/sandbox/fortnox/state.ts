// The sandbox's in-memory data: one TenantState per Fortnox company (TenantId), built from the seed and
// thrown away on reset. Records keep Fortnox's wire shape (PascalCase fields, null for unset) so that a single
// GET is the stored object plus computed fields; the resource modules own how each record is built.
import type { DiscountType } from './invoice-totals.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type WireObject = { [key: string]: Json };

/** A stored record: its Fortnox-shaped fields and when it last changed (for `lastmodified`). */
export interface Stored {
  data: WireObject;
  modifiedAt: number;
}

export interface StoredInvoiceRow {
  RowId: number;
  AccountNumber: number;
  ArticleNumber: string;
  CostCenter: string;
  DeliveredQuantity: number;
  Description: string;
  Discount: number;
  DiscountType: DiscountType;
  HouseWork: boolean;
  HouseWorkHoursToReport: number | null;
  HouseWorkType: string | null;
  Price: number;
  Project: string;
  StockPointCode: string | null;
  Unit: string;
  VAT: number;
  VATCode: string;
}

/**
 * Terms of payment: the wire record (Code, Description) and its number of days, which Fortnox keeps but its API
 * does not show (the OpenAPI schema has only Code and Description).
 */
export interface StoredTermsOfPayment extends Stored {
  days: number;
}

/** How an invoice was sent: GET …/email, …/einvoice or …/eprint. */
export type SendKind = 'email' | 'einvoice' | 'eprint';

/** One send of an invoice. Fortnox sends again on every call, so a test counts these per invoice. */
export interface SendRecord {
  documentNumber: string;
  kind: SendKind;
  /** ISO timestamp of the call. */
  at: string;
  /** The e-mail address, the organisation number (e-invoice) or the postal address (e-print). */
  to: string;
}

/** An invoice: its header fields (everything but rows and computed totals) and its rows. */
export interface StoredInvoice {
  data: WireObject;
  rows: StoredInvoiceRow[];
  modifiedAt: number;
}

export interface Counters {
  /** The next number each series hands out. */
  customerNumber: number;
  documentNumber: number;
  projectNumber: number;
  rowId: number;
  financialYearId: number;
  /** Per financial year id: the next voucher number in the invoice series. */
  voucherNumber: Record<string, number>;
  /** The next invoice payment number. */
  paymentNumber: number;
  /** Per financial year id: the next voucher number in the payment series. */
  paymentVoucherNumber: Record<string, number>;
}

/**
 * The company's invoice settings that fill fields an invoice is created without ("Omitted values … will be
 * supplied by Predefined values", [APIDOCS] POST /3/invoices). A new company has none: no fee, no freight,
 * prices excluding VAT. Set through PUT /sandbox/tenants/<id>/settings.
 */
export interface InvoiceSettings {
  /** Invoice fee (fakturaavgift) in the invoice's currency, excluding VAT. */
  administrationFee: number;
  /** Freight in the invoice's currency, excluding VAT. */
  freight: number;
  /** Whether row prices include VAT. */
  vatIncluded: boolean;
}

export interface TenantState {
  id: string;
  company: WireObject;
  invoiceSettings: InvoiceSettings;
  customers: Map<string, Stored>;
  /** Every customer number ever used, deleted ones included: Fortnox never reuses them (2000637). */
  usedCustomerNumbers: Set<string>;
  invoices: Map<string, StoredInvoice>;
  /** Payment number → invoice payment (resources/invoice-payments.ts). */
  invoicePayments: Map<string, Stored>;
  costCenters: Map<string, Stored>;
  projects: Map<string, Stored>;
  financialYears: Map<number, Stored>;
  /** Financial year id → account number → account. */
  accounts: Map<number, Map<number, Stored>>;
  /** Code (upper case) → terms of payment. */
  termsOfPayments: Map<string, StoredTermsOfPayment>;
  /** Code → currency the company has set up. */
  currencies: Map<string, Stored>;
  /** Every send of an invoice, in order. */
  sends: SendRecord[];
  /** Code (exactly as written) → unit of the company's unit register. */
  units: Map<string, Stored>;
  vatRates: Set<number>;
  counters: Counters;
}

/** A scalar JSON value as text ('' for null, objects and arrays). */
export function scalar(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A string or number field of a stored record as text, or '' when unset. */
export function text(data: WireObject, key: string): string {
  return scalar(data[key]);
}

/** Natural order for Fortnox numbers kept as strings: "2" before "10", then text order. */
export function compareNumbers(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b) || a.localeCompare(b);
  return a.localeCompare(b, 'sv');
}

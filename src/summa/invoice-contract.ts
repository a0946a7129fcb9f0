import { z } from 'zod';
import { legalVatText, REMARKS_MAX, ROW_TEXT_MAX, rowTexts } from '../mapping/invoice.js';

/*
 * The contract with Summa, version 1: what Summa's hook sends for one invoice. Limits are Fortnox's (from its
 * OpenAPI file), so that anything Fortnox would reject is refused here, at the edge, with the field named.
 * New fields are added as optional, so a v1 sender stays valid.
 */

const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();
/** ISO 3166-1 alpha-2, every officially assigned code (249): "UK" and "EU" are not countries Fortnox knows. */
const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL ' +
    'CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU ' +
    'GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC ' +
    'MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT ' +
    'PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA ' +
    'UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);
const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code such as SE')
  .refine((code) => ISO_COUNTRIES.has(code), 'must be an ISO 3166 country code (GB for the United Kingdom, GR for Greece)');
/**
 * Money with at most two decimals (Fortnox rounds prices to the öre; Summa must not rely on that). `value * 100`
 * carries the binary error of both numbers, which grows with the amount (139393437.11 × 100 is off by 2e-6), so
 * the tolerance is relative as well as absolute; a third decimal (1.005 × 100 is off by 0.5) stays far outside it.
 */
const hasAtMostTwoDecimals = (value: number) => Math.abs(Math.round(value * 100) - value * 100) < Math.max(1e-6, Math.abs(value) * 1e-12);
const money = z.number().finite().refine(hasAtMostTwoDecimals, 'must have at most two decimals');

/** Summa's key for a company; part of workflow ids, so no slashes or spaces. */
export const tenantKeySchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores');
/** Summa's id of an invoice: the idempotency key, sent to Fortnox as ExternalInvoiceReference1 (≤ 80). */
export const invoiceIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores');

/** Fortnox cost-centre codes: 1–6 characters. */
const costCentreCode = z.string().trim().min(1).max(6).regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _');
const projectNumber = z.string().trim().min(1).max(20);

export const summaCustomerSchema = z.strictObject({
  /** Fortnox customer number; when absent the customer is found by organisation number or Fortnox numbers it. */
  customerNumber: z
    .string()
    .trim()
    .min(1)
    .max(1024)
    .regex(/^[\p{L}\p{N}\-+/_]+$/u, 'may hold letters, digits and - + / _ only')
    .optional(),
  name: z.string().trim().min(1).max(1024),
  organisationNumber: z
    .string()
    .trim()
    .max(30)
    .regex(/^[0-9A-Za-z -]+$/, 'may hold digits, letters, spaces and dashes only')
    .optional(),
  type: z.enum(['COMPANY', 'PRIVATE']),
  vatNumber: optionalText(1024),
  vatType: z.enum(['SEVAT', 'SEREVERSEDVAT', 'EUREVERSEDVAT', 'EUVAT', 'EXPORT']).optional(),
  address1: optionalText(1024),
  address2: optionalText(1024),
  zipCode: optionalText(10),
  city: optionalText(1024),
  countryCode: countryCode.optional(),
  email: z.email().max(1024).optional(),
  invoiceEmail: z.email().max(1024).optional(),
  phone: optionalText(1024),
});

export const summaDeliveryAddressSchema = z.strictObject({
  name: z.string().trim().min(1).max(1024),
  address1: z.string().trim().min(1).max(1024),
  address2: optionalText(1024),
  zipCode: z.string().trim().min(1).max(1024),
  city: z.string().trim().min(1).max(1024),
  countryCode: countryCode.optional(),
});

export const summaInvoiceRowSchema = z.strictObject({
  // Fortnox takes 255 characters per row; a longer text continues on text rows after the priced row
  // (src/mapping/invoice.ts `rowTexts`), so paper, format, colours and finishing fit without being cut.
  description: z.string().trim().min(1).max(ROW_TEXT_MAX, `must be at most ${ROW_TEXT_MAX} characters`),
  // Fortnox rounds DeliveredQuantity to two decimals (fortnox-api.md §4.2): a third would change the row's amount
  // after creation, so it is refused here, as for money.
  quantity: z
    .number()
    .finite()
    .refine((value) => value !== 0, 'must not be zero')
    .refine(hasAtMostTwoDecimals, 'must have at most two decimals (Fortnox rounds quantities to two)'),
  unit: optionalText(1024),
  unitPrice: money,
  discountPercent: z.number().min(0).max(100).optional(),
  vatPercent: z.union([z.literal(25), z.literal(12), z.literal(6), z.literal(0)], { error: 'must be 25, 12, 6 or 0' }),
  account: z.number().int().min(1000, 'must be a four-digit account').max(9999, 'must be a four-digit account'),
  articleNumber: optionalText(50),
  costCentre: costCentreCode.optional(),
  projectNumber: projectNumber.optional(),
});

export const summaInvoiceSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    tenant: tenantKeySchema,
    invoiceId: invoiceIdSchema,
    orderNumber: z.string().trim().min(1).max(80),
    invoiceDate: isoDate,
    dueDate: isoDate.optional(),
    /** When the goods were delivered or the service done, if not the invoice date (ML 2023:200 17 kap.: the invoice states it). */
    deliveryDate: isoDate.optional(),
    termsOfPaymentDays: z.number().int().min(0).max(365).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as SEK').default('SEK'),
    /** SEK per unit of `currency`; default Fortnox's rate for the currency. */
    currencyRate: z.number().positive().max(100_000).optional(),
    yourReference: optionalText(50),
    ourReference: optionalText(50),
    yourOrderNumber: optionalText(75),
    remarks: optionalText(1024),
    /**
     * What the invoice sells, for the legal text of an EU reverse-charge buyer: goods (the default; printed matter is
     * goods) are an exempt intra-Community supply, services the buyer's reverse charge.
     */
    supplyType: z.enum(['goods', 'services']).optional(),
    /**
     * The ground of a domestic reverse charge (customer vatType SEREVERSEDVAT), printed in the legal text: construction
     * services (the default, for senders from before the field), scrap and waste metal, emission allowances, certain
     * electronics (mobile phones, integrated circuits…), gold.
     */
    reverseChargeGround: z.enum(['construction', 'scrapMetal', 'emissionAllowances', 'electronics', 'gold']).optional(),
    customer: summaCustomerSchema,
    deliveryAddress: summaDeliveryAddressSchema.optional(),
    costCentre: z.strictObject({ code: costCentreCode, description: z.string().trim().min(1).max(100) }).optional(),
    project: z
      .strictObject({
        number: projectNumber,
        description: z.string().trim().min(1).max(50),
        status: z.enum(['NOTSTARTED', 'ONGOING', 'COMPLETED']).optional(),
        startDate: isoDate.optional(),
        endDate: isoDate.optional(),
        leader: optionalText(50),
      })
      .optional(),
    // Fortnox is reported to cap an invoice at 500 rows (fortnox-api.md §4.2, unverified).
    rows: z.array(summaInvoiceRowSchema).max(500, 'Fortnox takes at most 500 rows'),
    /** Summa's own figures; after creation Fortnox's are compared with them. */
    totals: z.strictObject({ net: money, vat: money, total: money }).optional(),
    /**
     * This invoice credits one transferred earlier: `full` credits all of it (Fortnox's credit action, rows not
     * needed); otherwise the rows, with negative quantities, are what is credited.
     */
    credit: z.strictObject({ originalInvoiceId: invoiceIdSchema, full: z.boolean() }).optional(),
    /** A final invoice's deductions of earlier a-conto invoices (Summa ids), net amounts at their VAT rates. */
    acontoDeductions: z
      .array(
        z.strictObject({
          invoiceId: invoiceIdSchema,
          amount: money.refine((value) => value > 0, 'must be more than zero'),
          vatPercent: z.union([z.literal(25), z.literal(12), z.literal(6), z.literal(0)], { error: 'must be 25, 12, 6 or 0' }),
        }),
      )
      .min(1)
      .max(50)
      .optional(),
  })
  .superRefine((invoice, context) => {
    const problem = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
    if (invoice.dueDate !== undefined && invoice.dueDate < invoice.invoiceDate) problem(['dueDate'], 'must not be before invoiceDate');
    if (invoice.project?.startDate !== undefined && invoice.project.endDate !== undefined && invoice.project.endDate < invoice.project.startDate) {
      problem(['project', 'endDate'], 'must not be before startDate');
    }
    if (invoice.credit?.full !== true && invoice.rows.length === 0) problem(['rows'], 'an invoice needs at least one row');
    const fortnoxRows = invoice.rows.reduce((sum, row) => sum + rowTexts(row.description).length, 0) + (invoice.acontoDeductions?.length ?? 0);
    if (fortnoxRows > 500) problem(['rows'], `make ${fortnoxRows} rows in Fortnox (long texts continue on rows of their own, a-conto deductions add one each); Fortnox takes at most 500`);
    if (invoice.credit !== undefined) {
      if (invoice.credit.originalInvoiceId === invoice.invoiceId) problem(['credit', 'originalInvoiceId'], 'an invoice cannot credit itself');
      if (invoice.credit.full && invoice.rows.length > 0) problem(['rows'], 'must be empty for a full credit: Fortnox credits the whole original');
      if (!invoice.credit.full && rowsNet(invoice.rows) >= 0) problem(['rows'], 'a partial credit needs rows that add up to a negative amount');
      if (invoice.acontoDeductions !== undefined) problem(['acontoDeductions'], 'a credit cannot deduct a-conto invoices');
    }
    const vatType = invoice.customer.vatType;
    if (vatType === 'SEREVERSEDVAT' || vatType === 'EUREVERSEDVAT' || vatType === 'EXPORT') {
      // Reverse charge and export carry no Swedish VAT (ML 2023:200 16 kap. 13 §; 10 kap.).
      invoice.rows.forEach((row, index) => {
        if (row.vatPercent !== 0) problem(['rows', index, 'vatPercent'], `must be 0 for a customer with vatType ${vatType} (the buyer accounts for the VAT, or it is exported)`);
      });
      invoice.acontoDeductions?.forEach((deduction, index) => {
        if (deduction.vatPercent !== 0) problem(['acontoDeductions', index, 'vatPercent'], `must be 0 for a customer with vatType ${vatType}`);
      });
    }
    if (invoice.reverseChargeGround !== undefined && vatType !== 'SEREVERSEDVAT') problem(['reverseChargeGround'], 'is only for a customer with vatType SEREVERSEDVAT (domestic reverse charge)');
    const legal = legalVatText(invoice.customer, invoice.supplyType, invoice.reverseChargeGround);
    if (legal !== undefined && invoice.remarks !== undefined && invoice.remarks.length + 1 + legal.length > REMARKS_MAX) {
      // The legal text follows the remarks on a line of its own in Fortnox's Remarks, and is never cut.
      const room = Math.max(0, REMARKS_MAX - legal.length - 1);
      problem(['remarks'], `must be at most ${room} characters for this customer: the legal VAT text (${legal.length} characters) follows it within Fortnox's ${REMARKS_MAX} and is never cut`);
    }
    const vatNumber = invoice.customer.vatNumber?.replace(/\s/g, '').toUpperCase();
    if (vatType === 'EUREVERSEDVAT') {
      // The buyer's VAT number must be on a reverse-charge invoice (ML 17 kap.); it is an EU number, not Swedish.
      if (vatNumber === undefined) problem(['customer', 'vatNumber'], 'is required for vatType EUREVERSEDVAT (EU reverse charge)');
      else if (!EU_VAT_NUMBER.test(vatNumber)) problem(['customer', 'vatNumber'], 'must be an EU VAT number of another member state, such as DE123456789');
    }
    if (vatType === 'SEREVERSEDVAT') {
      if (vatNumber === undefined) problem(['customer', 'vatNumber'], 'is required for vatType SEREVERSEDVAT (domestic reverse charge)');
      else if (!/^SE\d{10}01$/.test(vatNumber)) problem(['customer', 'vatNumber'], 'must be a Swedish VAT number, SE + ten digits + 01');
    }
  });

/** Member-state prefix and 2–12 characters (VIES formats; Greece is EL, Northern Ireland XI). Sweden excluded. */
const EU_VAT_NUMBER = /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SI|SK|XI)[0-9A-Z+*]{2,12}$/;

/** The rows' net amount, in öre-exact arithmetic. */
export function rowsNet(rows: readonly { quantity: number; unitPrice: number; discountPercent?: number | undefined }[]): number {
  const ore = rows.reduce((sum, row) => sum + Math.round(row.quantity * row.unitPrice * (1 - (row.discountPercent ?? 0) / 100) * 100), 0);
  return ore / 100;
}

export type SummaInvoice = z.infer<typeof summaInvoiceSchema>;
export type SummaInvoiceInput = z.input<typeof summaInvoiceSchema>;
export type SummaInvoiceRow = z.infer<typeof summaInvoiceRowSchema>;

export interface FieldProblem {
  /** Dotted path, e.g. `rows.2.account`. */
  path: string;
  message: string;
}

/** Parses a Summa invoice from anything, or lists every problem by field path. */
export function parseSummaInvoice(input: unknown): { ok: true; invoice: SummaInvoice } | { ok: false; problems: FieldProblem[] } {
  const result = summaInvoiceSchema.safeParse(input);
  if (result.success) return { ok: true, invoice: result.data };
  return { ok: false, problems: fieldProblems(result.error) };
}

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap(issueProblems).map((problem) => ({ path: problem.path.length === 0 ? '(body)' : problem.path.map(String).join('.'), message: problem.message }));
}

/**
 * One zod issue as problems by path. zod reports unknown keys once, at the object holding them (the whole body for
 * a top-level one); each is reported here at its own path, so the path names the field to remove.
 */
function issueProblems(issue: z.ZodError['issues'][number]): { path: PropertyKey[]; message: string }[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...issue.path, key], message: 'is not a field of the contract' }));
  return [{ path: issue.path, message: issue.message }];
}

/** A batch "fakturaexport": many invoices of one company, transferred under one export id. */
export const summaExportSchema = z
  .strictObject({
    tenant: tenantKeySchema,
    exportId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores'),
    invoices: z.array(z.unknown()).min(1, 'an export needs at least one invoice').max(10_000, 'at most 10 000 invoices per export'),
  })
  .transform((request, context) => {
    const invoices: SummaInvoice[] = [];
    const seen = new Set<string>();
    request.invoices.forEach((candidate, index) => {
      const result = summaInvoiceSchema.safeParse(candidate);
      if (!result.success) {
        for (const problem of result.error.issues.flatMap(issueProblems)) context.addIssue({ code: 'custom', path: ['invoices', index, ...problem.path], message: problem.message });
        return;
      }
      if (result.data.tenant !== request.tenant) {
        context.addIssue({ code: 'custom', path: ['invoices', index, 'tenant'], message: `must be the export's tenant (${request.tenant})` });
      }
      if (seen.has(result.data.invoiceId)) {
        context.addIssue({ code: 'custom', path: ['invoices', index, 'invoiceId'], message: 'appears twice in the export' });
      }
      seen.add(result.data.invoiceId);
      invoices.push(result.data);
    });
    return { tenant: request.tenant, exportId: request.exportId, invoices };
  });
export type SummaExport = z.infer<typeof summaExportSchema>;

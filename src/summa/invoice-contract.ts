import { z } from 'zod';

/*
 * The contract with Summa, version 1: what Summa's hook sends for one invoice. Limits are Fortnox's (from its
 * OpenAPI file), so that anything Fortnox would reject is refused here, at the edge, with the field named.
 * New fields are added as optional, so a v1 sender stays valid.
 */

const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code such as SE');
/** Money with at most two decimals (Fortnox rounds prices to the öre; Summa must not rely on that). */
const money = z
  .number()
  .finite()
  .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'must have at most two decimals');

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
  description: z.string().trim().min(1).max(255),
  quantity: z.number().finite().refine((value) => value !== 0, 'must not be zero'),
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
    termsOfPaymentDays: z.number().int().min(0).max(365).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as SEK').default('SEK'),
    yourReference: optionalText(50),
    ourReference: optionalText(50),
    yourOrderNumber: optionalText(75),
    remarks: optionalText(1024),
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
    rows: z.array(summaInvoiceRowSchema).min(1, 'an invoice needs at least one row').max(500, 'Fortnox takes at most 500 rows'),
    totals: z.strictObject({ net: money, vat: money, total: money }).optional(),
  })
  .superRefine((invoice, context) => {
    if (invoice.dueDate !== undefined && invoice.dueDate < invoice.invoiceDate) {
      context.addIssue({ code: 'custom', path: ['dueDate'], message: 'must not be before invoiceDate' });
    }
    if (invoice.project?.startDate !== undefined && invoice.project.endDate !== undefined && invoice.project.endDate < invoice.project.startDate) {
      context.addIssue({ code: 'custom', path: ['project', 'endDate'], message: 'must not be before startDate' });
    }
  });

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
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
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
        for (const issue of result.error.issues) context.addIssue({ code: 'custom', path: ['invoices', index, ...issue.path], message: issue.message });
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

// The sandbox's own control API under /sandbox: no auth, plain JSON, never faulted or rate-limited, never in
// the request log. Tests and demos use it to reset data, look inside, withdraw consent, expire tokens, change
// limits, set a company's invoice defaults, pay an invoice as a bank file would, count a reminder, read the request
// log and inject faults.
import { z } from 'zod';
import { isIsoDate } from './dates.js';
import { FortnoxApiError } from './errors.js';
import { copyJson } from './fields.js';
import { faultInputSchema, type Faults } from './faults.js';
import { jsonResponse, type SandboxRequest, type SandboxResponse } from './http.js';
import type { RateLimitSettings, SlidingWindowLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import { renderAccount } from './resources/accounts.js';
import { renderCostCentre } from './resources/cost-centres.js';
import { renderCurrency } from './resources/currencies.js';
import { renderCustomer } from './resources/customers.js';
import { renderFinancialYear } from './resources/financial-years.js';
import { bookkeepInvoicePayment, createInvoicePayment, renderInvoicePayment } from './resources/invoice-payments.js';
import { bookkeepInvoice, renderInvoice, settlementOf } from './resources/invoices.js';
import { renderProject } from './resources/projects.js';
import { renderTermsOfPayment } from './resources/terms-of-payments.js';
import { renderUnit } from './resources/units.js';
import { tenantIdPattern, type Tenants } from './tenants.js';
import { text, type StoredInvoice, type TenantState } from './state.js';
import type { TokenStore } from './tokens.js';

export interface SandboxSettings {
  rateLimit: RateLimitSettings | false;
  accessTokenLifetimeSeconds: number;
  /** Applies to refresh tokens already issued too: each is judged by its age when it is used. */
  refreshTokenLifetimeSeconds: number;
}

export const rateLimitSchema = z.union([
  z.strictObject({ requests: z.number().int().min(1), windowMs: z.number().int().min(1) }),
  z.literal(false),
]);

const settingsSchema = z.strictObject({
  rateLimit: rateLimitSchema.optional(),
  accessTokenLifetimeSeconds: z.number().int().min(1).optional(),
  refreshTokenLifetimeSeconds: z.number().int().min(1).optional(),
});
const tenantIdSchema = z.string().regex(tenantIdPattern, 'a Fortnox TenantId is digits only, e.g. "7"');
const isoDateSchema = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
/** POST /sandbox/tenants/<id>/invoices/<documentNumber>/payments: a payment as a bank file brings it. */
const bankPaymentSchema = z.strictObject({
  /** In the invoice's currency; default the invoice's balance. */
  amount: z.number().optional(),
  /** Default today. */
  paymentDate: isoDateSchema.optional(),
  /** The bank account; default 1930. */
  modeOfPaymentAccount: z.number().int().min(1000).max(9999).optional(),
});
/** POST /sandbox/tenants/<id>/invoices/<documentNumber>/reminders: a reminder sent. */
const reminderSchema = z.strictObject({ date: isoDateSchema.optional() });
const addTenantSchema = z.strictObject({ tenantId: tenantIdSchema });
const expireSchema = z.strictObject({ tenant: z.string().optional() });
/** PUT /sandbox/tenants/<id>/settings: the company's predefined invoice values (state.ts InvoiceSettings); a partial update. */
const invoiceSettingsSchema = z.strictObject({
  administrationFee: z.number().min(0).optional(),
  freight: z.number().min(0).optional(),
  vatIncluded: z.boolean().optional(),
});

export interface ControlDeps {
  tenants: Tenants;
  tokens: TokenStore;
  faults: Faults;
  log: RequestLog;
  limiter: SlidingWindowLimiter;
  settings: SandboxSettings;
  baseUrl: () => string;
  /** The sandbox's date, YYYY-MM-DD. */
  today: () => string;
}

function problem(status: number, error: string): SandboxResponse {
  return jsonResponse(status, { error });
}

/** The body as JSON: {} when empty, undefined when it does not parse. */
function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function parseWith<T>(schema: z.ZodType<T>, body: Buffer): { ok: true; value: T } | { ok: false; response: SandboxResponse } {
  const json = parseJson(body);
  if (json === undefined) return { ok: false, response: problem(400, 'The body is not valid JSON.') };
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, response: problem(400, z.prettifyError(result.error)) };
}

function dumpTenant(deps: ControlDeps, tenantId: string): unknown {
  const tenant = deps.tenants.get(tenantId);
  if (tenant === undefined) return undefined;
  const context = { baseUrl: deps.baseUrl(), tenant };
  return {
    tenantId,
    consent: deps.tenants.hasConsent(tenantId),
    companyInformation: { ...tenant.company, DatabaseNumber: Number(tenantId) },
    invoiceSettings: tenant.invoiceSettings,
    customers: [...tenant.customers.values()].map((customer) => renderCustomer(context, customer)),
    deletedCustomerNumbers: [...tenant.usedCustomerNumbers].filter((number) => !tenant.customers.has(number)),
    invoices: [...tenant.invoices.values()].map((invoice) => renderInvoice(context, invoice)),
    invoicePayments: [...tenant.invoicePayments.values()].map((payment) => renderInvoicePayment(context, payment)),
    costCenters: [...tenant.costCenters.values()].map((costCentre) => renderCostCentre(context, costCentre)),
    projects: [...tenant.projects.values()].map((project) => renderProject(context, project)),
    financialYears: [...tenant.financialYears.values()].map((year) => renderFinancialYear(context, year)),
    currencies: [...tenant.currencies.values()].map((currency) => renderCurrency(context, currency)),
    // NumberOfDays is the sandbox's own (Fortnox's API has no such field; resources/terms-of-payments.ts).
    termsOfPayments: [...tenant.termsOfPayments.values()].map((terms) => ({ ...renderTermsOfPayment(context, terms), NumberOfDays: terms.days })),
    units: [...tenant.units.values()].map((unit) => renderUnit(context, unit)),
    /** Every send of an invoice ({ documentNumber, kind, at, to }), oldest first. */
    sends: tenant.sends,
    accounts: Object.fromEntries([...tenant.accounts].map(([yearId, chart]) => [String(yearId), [...chart.values()].map((account) => renderAccount(context, account))])),
    counters: tenant.counters,
  };
}

/** Answers a request under /sandbox. */
export function handleControl(request: SandboxRequest, body: Buffer, deps: ControlDeps): SandboxResponse {
  const [, resource, id, action, documentNumber] = request.segments;
  const template = (segment: string, index: number) => {
    if (resource !== 'tenants') return segment;
    if (index === 1) return '{id}';
    return index === 3 && action === 'invoices' ? '{documentNumber}' : segment;
  };
  const route = `${request.method} /${request.segments.slice(1).map(template).join('/')}`;
  switch (route) {
    case 'POST /reset':
      deps.tenants.reset();
      deps.log.clear();
      deps.faults.clear();
      deps.limiter.clear();
      deps.tokens.clearRefreshGrantCounts();
      return jsonResponse(200, { reset: true, tenants: deps.tenants.ids() });
    case 'GET /state': {
      const tenantId = request.query.get('tenant') ?? deps.tenants.ids()[0] ?? '';
      const state = dumpTenant(deps, tenantId);
      return state === undefined ? problem(404, `No tenant ${tenantId}; the sandbox has ${deps.tenants.ids().join(', ')}.`) : jsonResponse(200, state);
    }
    case 'POST /tenants': {
      const parsed = parseWith(addTenantSchema, body);
      if (!parsed.ok) return parsed.response;
      if (deps.tenants.has(parsed.value.tenantId)) return problem(409, `Tenant ${parsed.value.tenantId} already exists.`);
      deps.tenants.add(parsed.value.tenantId);
      return jsonResponse(201, { tenantId: parsed.value.tenantId });
    }
    case 'POST /tenants/{id}/revoke':
    case 'POST /tenants/{id}/consent': {
      if (id === undefined || !deps.tenants.has(id)) return problem(404, `No tenant ${id ?? ''}.`);
      if (action === 'revoke') {
        deps.tenants.revokeConsent(id);
        deps.tokens.revokeTenant(id);
      } else {
        deps.tenants.restoreConsent(id);
      }
      return jsonResponse(200, { tenantId: id, consent: deps.tenants.hasConsent(id) });
    }
    case 'GET /tenants/{id}/settings':
    case 'PUT /tenants/{id}/settings': {
      const tenant = id === undefined ? undefined : deps.tenants.get(id);
      if (tenant === undefined) return problem(404, `No tenant ${id ?? ''}.`);
      if (request.method === 'PUT') {
        const parsed = parseWith(invoiceSettingsSchema, body);
        if (!parsed.ok) return parsed.response;
        const { administrationFee, freight, vatIncluded } = parsed.value;
        if (administrationFee !== undefined) tenant.invoiceSettings.administrationFee = administrationFee;
        if (freight !== undefined) tenant.invoiceSettings.freight = freight;
        if (vatIncluded !== undefined) tenant.invoiceSettings.vatIncluded = vatIncluded;
      }
      return jsonResponse(200, tenant.invoiceSettings);
    }
    case 'POST /tenants/{id}/invoices/{documentNumber}/payments':
      return registerBankPayment(deps, id ?? '', documentNumber ?? '', body);
    case 'POST /tenants/{id}/invoices/{documentNumber}/reminders':
      return sendReminder(deps, id ?? '', documentNumber ?? '', body);
    case 'GET /tokens':
      // Refresh grants per tenant by outcome: `reused` counts refresh tokens used after they were spent.
      return jsonResponse(200, { refreshGrants: deps.tokens.refreshGrantCounts() });
    case 'POST /tokens/expire': {
      const parsed = parseWith(expireSchema, body);
      if (!parsed.ok) return parsed.response;
      return jsonResponse(200, { expired: deps.tokens.expireAccessTokens(parsed.value.tenant) });
    }
    case 'GET /settings':
      return jsonResponse(200, deps.settings);
    case 'PUT /settings': {
      const parsed = parseWith(settingsSchema, body);
      if (!parsed.ok) return parsed.response;
      if (parsed.value.rateLimit !== undefined) deps.settings.rateLimit = parsed.value.rateLimit;
      if (parsed.value.accessTokenLifetimeSeconds !== undefined) deps.settings.accessTokenLifetimeSeconds = parsed.value.accessTokenLifetimeSeconds;
      if (parsed.value.refreshTokenLifetimeSeconds !== undefined) deps.settings.refreshTokenLifetimeSeconds = parsed.value.refreshTokenLifetimeSeconds;
      return jsonResponse(200, deps.settings);
    }
    case 'GET /requests':
      return jsonResponse(200, deps.log.list({ tenant: request.query.get('tenant'), route: request.query.get('route'), method: request.query.get('method') }));
    case 'DELETE /requests':
      deps.log.clear();
      return jsonResponse(200, { cleared: true });
    case 'POST /faults': {
      const parsed = parseWith(faultInputSchema, body);
      if (!parsed.ok) return parsed.response;
      return jsonResponse(201, { id: deps.faults.add(parsed.value).id });
    }
    case 'GET /faults':
      return jsonResponse(200, deps.faults.list());
    case 'DELETE /faults':
      deps.faults.clear();
      return jsonResponse(200, { cleared: true });
    default:
      return problem(404, `No control endpoint ${request.method} ${request.path}. See src/sandbox/fortnox/control.ts.`);
  }
}

/** The tenant and invoice a control call names, or the 404 to answer. */
function tenantInvoice(deps: ControlDeps, tenantId: string, documentNumber: string): { tenant: TenantState; invoice: StoredInvoice } | SandboxResponse {
  const tenant = deps.tenants.get(tenantId);
  if (tenant === undefined) return problem(404, `No tenant ${tenantId}.`);
  const invoice = tenant.invoices.get(documentNumber);
  if (invoice === undefined) return problem(404, `Tenant ${tenantId} has no invoice ${documentNumber}.`);
  return { tenant, invoice };
}

/**
 * A customer's payment as a bank file brings it in: what a user does in Fortnox when the file matches the invoice.
 * An unbooked invoice is booked first (Fortnox takes payments on booked invoices only, resources/invoice-payments.ts,
 * and Nox Finans does the same), then the payment is registered through the same code as POST /3/invoicepayments
 * and booked. The whole call is undone when any step is refused; the refusal is Fortnox's message and code.
 */
function registerBankPayment(deps: ControlDeps, tenantId: string, documentNumber: string, body: Buffer): SandboxResponse {
  const found = tenantInvoice(deps, tenantId, documentNumber);
  if (!('tenant' in found)) return found;
  const { tenant, invoice } = found;
  const parsed = parseWith(bankPaymentSchema, body);
  if (!parsed.ok) return parsed.response;
  const context = { baseUrl: deps.baseUrl(), tenant };
  const settlement = settlementOf(tenant, invoice);
  if (parsed.value.amount === undefined && settlement.finalPayDate !== null) return problem(409, `Invoice ${documentNumber} is already fully paid.`);
  const saved = { data: copyJson(invoice.data), modifiedAt: invoice.modifiedAt, counters: structuredClone(tenant.counters) };
  const now = Date.now();
  try {
    const bookedInvoice = invoice.data.Booked !== true && invoice.data.Cancelled !== true;
    if (bookedInvoice) bookkeepInvoice(tenant, invoice, now);
    const input: Record<string, unknown> = {
      InvoiceNumber: Number(documentNumber),
      AmountCurrency: parsed.value.amount ?? settlement.balance,
      ...(parsed.value.paymentDate === undefined ? {} : { PaymentDate: parsed.value.paymentDate }),
      ...(parsed.value.modeOfPaymentAccount === undefined ? {} : { ModeOfPaymentAccount: parsed.value.modeOfPaymentAccount }),
    };
    const payment = createInvoicePayment(tenant, input, now, deps.today());
    try {
      bookkeepInvoicePayment(tenant, payment, now);
    } catch (error) {
      tenant.invoicePayments.delete(text(payment.data, 'Number'));
      throw error;
    }
    return jsonResponse(201, { bookedInvoice, payment: renderInvoicePayment(context, payment), invoice: renderInvoice(context, invoice) });
  } catch (error) {
    if (!(error instanceof FortnoxApiError)) throw error;
    Object.assign(invoice, { data: saved.data, modifiedAt: saved.modifiedAt });
    tenant.counters = saved.counters;
    return jsonResponse(error.status, { error: error.message, code: error.code });
  }
}

/**
 * A payment reminder sent for the invoice: Reminders counts up and LastRemindDate is the date (default today), as
 * Fortnox shows them on the invoice (fortnox_Invoice). GET …/printreminder is not served: the spec says only that it
 * answers a PDF, and nothing shows whether it counts a reminder. Reminding a cancelled, credit or fully paid invoice
 * is refused (409): there is nothing to remind of.
 */
function sendReminder(deps: ControlDeps, tenantId: string, documentNumber: string, body: Buffer): SandboxResponse {
  const found = tenantInvoice(deps, tenantId, documentNumber);
  if (!('tenant' in found)) return found;
  const { tenant, invoice } = found;
  const parsed = parseWith(reminderSchema, body);
  if (!parsed.ok) return parsed.response;
  if (invoice.data.Cancelled === true) return problem(409, `Invoice ${documentNumber} is cancelled.`);
  if (invoice.data.Credit === 'true') return problem(409, `Invoice ${documentNumber} is a credit invoice.`);
  if (settlementOf(tenant, invoice).finalPayDate !== null) return problem(409, `Invoice ${documentNumber} is fully paid.`);
  invoice.data.Reminders = Number(invoice.data.Reminders ?? 0) + 1;
  invoice.data.LastRemindDate = parsed.value.date ?? deps.today();
  invoice.modifiedAt = Date.now();
  return jsonResponse(200, { invoice: renderInvoice({ baseUrl: deps.baseUrl(), tenant }, invoice) });
}


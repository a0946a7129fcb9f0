// The sandbox's own control API under /sandbox: no auth, plain JSON, never faulted or rate-limited, never in
// the request log. Tests and demos use it to reset data, look inside, withdraw consent, expire tokens, change
// limits, set a company's invoice defaults, read the request log and inject faults.
import { z } from 'zod';
import { faultInputSchema, type Faults } from './faults.js';
import { jsonResponse, type SandboxRequest, type SandboxResponse } from './http.js';
import type { RateLimitSettings, SlidingWindowLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import { renderAccount } from './resources/accounts.js';
import { renderCostCentre } from './resources/cost-centres.js';
import { renderCurrency } from './resources/currencies.js';
import { renderCustomer } from './resources/customers.js';
import { renderFinancialYear } from './resources/financial-years.js';
import { renderInvoice } from './resources/invoices.js';
import { renderProject } from './resources/projects.js';
import { renderTermsOfPayment } from './resources/terms-of-payments.js';
import { renderUnit } from './resources/units.js';
import { tenantIdPattern, type Tenants } from './tenants.js';
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
  const context = { baseUrl: deps.baseUrl() };
  return {
    tenantId,
    consent: deps.tenants.hasConsent(tenantId),
    companyInformation: { ...tenant.company, DatabaseNumber: Number(tenantId) },
    invoiceSettings: tenant.invoiceSettings,
    customers: [...tenant.customers.values()].map((customer) => renderCustomer(context, customer)),
    deletedCustomerNumbers: [...tenant.usedCustomerNumbers].filter((number) => !tenant.customers.has(number)),
    invoices: [...tenant.invoices.values()].map((invoice) => renderInvoice(context, invoice)),
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
  const [, resource, id, action] = request.segments;
  const route = `${request.method} /${request.segments.slice(1).map((segment, index) => (resource === 'tenants' && index === 1 ? '{id}' : segment)).join('/')}`;
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

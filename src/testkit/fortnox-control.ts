// Typed clients for the Fortnox sandbox's control API, for the tests and the benchmark and chaos runs (the testkit:
// test/ and bench/ both import it, neither imports the other; product code never does).
import type { LoggedRequest } from '../sandbox/fortnox/index.js';
import type { RefreshGrantCounts } from '../sandbox/fortnox/tokens.js';

/** Talks to a Fortnox sandbox's control API (`/sandbox/...`) at `sandbox.url` (a running sandbox, or its URL). */
export function fortnoxControl(sandbox: { url: string } | string) {
  const base = typeof sandbox === 'string' ? sandbox : sandbox.url;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}/sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    reset: () => call('POST', '/reset'),
    requests: async (filter: { tenant?: string; route?: string; method?: string } = {}) => {
      const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined));
      return (await call('GET', `/requests?${query.toString()}`)) as LoggedRequest[];
    },
    clearRequests: () => call('DELETE', '/requests'),
    addFault: (fault: Record<string, unknown>) => call('POST', '/faults', fault),
    clearFaults: () => call('DELETE', '/faults'),
    faults: async () => (await call('GET', '/faults')) as { id: string; hits: number; remaining: number | null }[],
    expireTokens: (tenant?: string) => call('POST', '/tokens/expire', tenant === undefined ? {} : { tenant }),
    /** Refresh grants per tenant by outcome (accepted, reused, revoked, expired), and ones with tokens never issued. */
    refreshGrants: async () => ((await call('GET', '/tokens')) as { refreshGrants: { tenants: Record<string, RefreshGrantCounts>; unknown: number } }).refreshGrants,
    revokeConsent: (tenant: string) => call('POST', `/tenants/${tenant}/revoke`),
    restoreConsent: (tenant: string) => call('POST', `/tenants/${tenant}/consent`),
    settings: (settings: Record<string, unknown>) => call('PUT', '/settings', settings),
    /** The company's invoice defaults: what Fortnox fills in when an invoice leaves the field out. */
    invoiceSettings: (tenant: string, settings: { administrationFee?: number; freight?: number; vatIncluded?: boolean }) =>
      call('PUT', `/tenants/${tenant}/settings`, settings) as Promise<{ administrationFee: number; freight: number; vatIncluded: boolean }>,
    /** A payment as a bank file brings it: books the invoice if needed, registers and books the payment (default: the balance). */
    pay: (tenant: string, documentNumber: string, payment: { amount?: number; paymentDate?: string } = {}) =>
      call('POST', `/tenants/${tenant}/invoices/${documentNumber}/payments`, payment),
    /** Marks a reminder sent on the invoice (Reminders + 1, LastRemindDate). */
    remind: (tenant: string, documentNumber: string, reminder: { date?: string } = {}) => call('POST', `/tenants/${tenant}/invoices/${documentNumber}/reminders`, reminder),
    state: async (tenant: string) => (await call('GET', `/state?tenant=${encodeURIComponent(tenant)}`)) as SandboxTenantState,
  };
}

export type FortnoxControl = ReturnType<typeof fortnoxControl>;

/** A tenant's whole state in the sandbox (`GET /sandbox/state`). */
export interface SandboxTenantState {
  customers: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
  costCenters: Record<string, unknown>[];
  projects: Record<string, unknown>[];
  currencies: Record<string, unknown>[];
  termsOfPayments: Record<string, unknown>[];
  units: Record<string, unknown>[];
  invoicePayments: Record<string, unknown>[];
  invoiceSettings: { administrationFee: number; freight: number; vatIncluded: boolean };
  /** Every send of an invoice (GET …/email, …/einvoice, …/eprint), oldest first. */
  sends: { documentNumber: string; kind: 'email' | 'einvoice' | 'eprint'; at: string; to: string }[];
}

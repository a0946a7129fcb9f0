import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createFortnoxClient, type FortnoxClient, type FortnoxClientOptions } from '../../src/fortnox/client.js';
import { FileTokenStore } from '../../src/fortnox/auth/token-store.js';
import {
  SANDBOX_CLIENT,
  startFortnoxSandbox,
  validateFortnoxRequestBody,
  type FortnoxSandbox,
  type FortnoxSandboxOptions,
  type LoggedRequest,
} from '../../src/sandbox/fortnox/index.js';
import type { RefreshGrantCounts } from '../../src/sandbox/fortnox/tokens.js';

/** Talks to a sandbox's control API (`/sandbox/...`). */
export function sandboxControl(sandbox: FortnoxSandbox) {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${sandbox.url}/sandbox${path}`, {
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
    state: async (tenant: string) => (await call('GET', `/state?tenant=${encodeURIComponent(tenant)}`)) as SandboxTenantState,
  };
}

export type SandboxControl = ReturnType<typeof sandboxControl>;

/**
 * A sandbox for a test file or describe block: started before its tests, back at its seed (log and faults cleared)
 * before each, closed after. Read `sandbox` and `control` inside tests, not at module level.
 */
export function useFortnoxSandbox(options: FortnoxSandboxOptions): { sandbox: FortnoxSandbox; control: SandboxControl } {
  const kit = {} as { sandbox: FortnoxSandbox; control: SandboxControl };
  beforeAll(async () => {
    kit.sandbox = await startFortnoxSandbox(options);
    kit.control = sandboxControl(kit.sandbox);
  });
  beforeEach(async () => {
    await kit.control.reset();
  });
  afterAll(async () => {
    await kit.sandbox.close();
  });
  return kit;
}

/** A client for a sandbox tenant with client credentials; no client-side throttling unless asked for. */
export function sandboxClient(sandbox: FortnoxSandbox, tenantId: string, overrides: Partial<FortnoxClientOptions> = {}): FortnoxClient {
  return createFortnoxClient({
    tenant: `tenant-${tenantId}`,
    auth: { kind: 'clientCredentials', ...SANDBOX_CLIENT, tenantId },
    apiBaseUrl: sandbox.url,
    authBaseUrl: `${sandbox.url}/oauth-v1`,
    rateLimit: { requests: 10_000, windowMs: 1_000 },
    ...overrides,
  });
}

/** A token store in a fresh temporary directory. */
export function temporaryTokenStore(): { store: FileTokenStore; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fortnox-tokens-'));
  return { store: new FileTokenStore(dir), dir };
}

/**
 * Checks every request body the sandbox received on `/3/...` against the schemas of Fortnox's official OpenAPI
 * file, returning the ones that do not conform (an empty list when all do).
 */
export async function bodiesOutsideTheSpec(sandbox: FortnoxSandbox): Promise<{ request: string; problems: unknown }[]> {
  const requests = await sandboxControl(sandbox).requests();
  const sent = requests.filter((request) => request.route.startsWith('/3/') && request.body !== null && request.body !== undefined);
  return sent.flatMap((request) => {
    const result = validateFortnoxRequestBody(request.method, request.route, request.body);
    return result.ok ? [] : [{ request: `${request.method} ${request.path}`, problems: result.problems }];
  });
}

/** Gathers, after each test, the request bodies of `kit.sandbox` that are outside the spec (see above). */
export function collectBodiesOutsideTheSpec(kit: { sandbox: FortnoxSandbox }): { request: string; problems: unknown }[] {
  const collected: { request: string; problems: unknown }[] = [];
  afterEach(async () => {
    collected.push(...(await bodiesOutsideTheSpec(kit.sandbox)));
  });
  return collected;
}

/** A tenant's whole state in the sandbox (`GET /sandbox/state`). */
export interface SandboxTenantState {
  customers: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
  costCenters: Record<string, unknown>[];
  projects: Record<string, unknown>[];
  currencies: Record<string, unknown>[];
  termsOfPayments: Record<string, unknown>[];
  /** Every send of an invoice (GET …/email, …/einvoice, …/eprint), oldest first. */
  sends: { documentNumber: string; kind: 'email' | 'einvoice' | 'eprint'; at: string; to: string }[];
}

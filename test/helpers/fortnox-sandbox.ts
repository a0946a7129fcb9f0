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
} from '../../src/sandbox/fortnox/index.js';
import { fortnoxControl, type FortnoxControl } from '../../src/testkit/fortnox-control.js';


/**
 * A sandbox for a test file or describe block: started before its tests, back at its seed (log and faults cleared)
 * before each, closed after. Read `sandbox` and `control` inside tests, not at module level.
 */
export function useFortnoxSandbox(options: FortnoxSandboxOptions): { sandbox: FortnoxSandbox; control: FortnoxControl } {
  const kit = {} as { sandbox: FortnoxSandbox; control: FortnoxControl };
  beforeAll(async () => {
    kit.sandbox = await startFortnoxSandbox(options);
    kit.control = fortnoxControl(kit.sandbox);
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
  const requests = await fortnoxControl(sandbox).requests();
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

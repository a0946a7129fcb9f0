// Helpers for the sandbox's own tests: tokens, plain fetch calls to /3 and /sandbox, raw response text.
import { beforeEach } from 'vitest';
import { SANDBOX_CLIENT, type FortnoxSandbox, type FortnoxSandboxOptions } from '../../src/sandbox/fortnox/index.js';
import { useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read Fortnox bodies freely
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const basicAuth = (clientId: string = SANDBOX_CLIENT.clientId, clientSecret: string = SANDBOX_CLIENT.clientSecret) =>
  `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

/** POST /oauth-v1/token with a form body. */
export async function tokenRequest(sandbox: FortnoxSandbox, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  return reply(
    await fetch(`${sandbox.url}/oauth-v1/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    }),
  );
}

/** An access token for a tenant through client credentials. */
export async function clientCredentialsToken(sandbox: FortnoxSandbox, tenantId = '1'): Promise<string> {
  const answer = await tokenRequest(sandbox, { grant_type: 'client_credentials' }, { TenantId: tenantId });
  if (answer.status !== 200) throw new Error(`token for tenant ${tenantId}: ${answer.status} ${answer.text}`);
  return (answer.json as { access_token: string }).access_token;
}

/** Runs the consent redirect and returns the code and state it carries. */
export async function authorizationCode(sandbox: FortnoxSandbox, query: Record<string, string> = {}): Promise<{ status: number; location: string | null; code: string | null; text: string }> {
  const params = new URLSearchParams({
    client_id: SANDBOX_CLIENT.clientId,
    redirect_uri: 'http://localhost:5555/callback',
    scope: 'companyinformation customer invoice costcenter project bookkeeping',
    state: 'st-1',
    access_type: 'offline',
    response_type: 'code',
    ...query,
  });
  const response = await fetch(`${sandbox.url}/oauth-v1/auth?${params.toString()}`, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location, code: location === null ? null : new URL(location).searchParams.get('code'), text: await response.text() };
}

/** A small client for /3 with a bearer token. */
export function api(sandbox: FortnoxSandbox, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    reply(
      await fetch(`${sandbox.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    delete: (path: string) => call('DELETE', path),
    call,
  };
}

/** A small client for /sandbox. */
export function control(sandbox: FortnoxSandbox) {
  const call = async (method: string, path: string, body?: unknown) =>
    reply(
      await fetch(`${sandbox.url}/sandbox${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      }),
    );
  return {
    call,
    reset: () => call('POST', '/reset'),
    state: (tenant = '1') => call('GET', `/state?tenant=${tenant}`),
    requests: (query = '') => call('GET', `/requests${query}`),
    addFault: (fault: Record<string, unknown>) => call('POST', '/faults', fault),
  };
}

/** The `ErrorInformation` of a Fortnox error body, keys lowercased. */
export function errorOf(answer: Reply): { error: number; message: string; code: number } {
  const info = (answer.json as { ErrorInformation: Record<string, unknown> }).ErrorInformation;
  return Object.fromEntries(Object.entries(info).map(([key, value]) => [key.toLowerCase(), value])) as { error: number; message: string; code: number };
}

/** Today's date as the sandbox sees it by default (Swedish time). */
export const swedishDate = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());

/**
 * The test file's sandbox (no rate limit, "today" 2026-03-15, unless `options` say otherwise), back at its seed with
 * a fresh token before each test and closed after the file. Read `sandbox` and `fortnox` inside tests, not at
 * module level.
 */
export function useSandbox(options: FortnoxSandboxOptions = {}): { sandbox: FortnoxSandbox; fortnox: ReturnType<typeof api> } {
  const kit = Object.assign(useFortnoxSandbox({ rateLimit: false, today: () => '2026-03-15', ...options }), {} as { fortnox: ReturnType<typeof api> });
  beforeEach(async () => {
    kit.fortnox = api(kit.sandbox, await clientCredentialsToken(kit.sandbox));
  });
  return kit;
}

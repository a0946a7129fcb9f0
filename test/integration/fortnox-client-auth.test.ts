import { describe, expect, it, vi } from 'vitest';
import { authorizeTenant } from '../../src/fortnox/auth/authorize.js';
import { requestToken } from '../../src/fortnox/auth/token-endpoint.js';
import { FileTokenStore } from '../../src/fortnox/auth/token-store.js';
import { createFortnoxClient } from '../../src/fortnox/client.js';
import { classifyFortnoxError, FortnoxReauthorisationRequiredError, FortnoxTokenExpiredError } from '../../src/fortnox/errors.js';
import { createHttp } from '../../src/fortnox/http.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import { freePort } from '../../src/http/free-port.js';
import { sandboxClient, temporaryTokenStore, useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';

describe('Fortnox client against the sandbox: authentication', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1', '2'] });
  const http = createHttp({ timeoutMs: 5_000 });

  const tokenRequests = async (grantType: string) =>
    (await kit.control.requests({ route: '/oauth-v1/token' })).filter((request) => JSON.stringify(request.body).includes(grantType)).length;

  /** Runs the operator's `authorize` flow against the sandbox, following the consent URL as a browser would. */
  async function authorize(tenantId: string, serviceAccount = false): Promise<{ store: FileTokenStore; dir: string; consentUrl: string }> {
    const { store, dir } = temporaryTokenStore();
    const redirectUri = `http://localhost:${await freePort()}/callback`;
    let followed: Promise<Response> | undefined;
    let consentUrl = '';
    await authorizeTenant({
      http,
      authBaseUrl: `${kit.sandbox.url}/oauth-v1`,
      identity: SANDBOX_CLIENT,
      tenant: `tenant-${tenantId}`,
      store,
      redirectUri,
      serviceAccount,
      onConsentUrl: (url) => {
        consentUrl = url;
        followed = fetch(`${url}&tenant=${tenantId}`);
      },
    });
    expect((await followed)?.status).toBe(200);
    return { store, dir, consentUrl };
  }

  const refreshTokenClient = (tenantId: string, store: FileTokenStore) =>
    createFortnoxClient({
      tenant: `tenant-${tenantId}`,
      auth: { kind: 'refreshToken', ...SANDBOX_CLIENT, store },
      apiBaseUrl: kit.sandbox.url,
      authBaseUrl: `${kit.sandbox.url}/oauth-v1`,
    });

  describe('client credentials', () => {
    it('gets one token for 50 concurrent calls, and one new token for all of them when it expires', async () => {
      const fortnox = sandboxClient(kit.sandbox, '1');
      await Promise.all(Array.from({ length: 50 }, () => fortnox.costCentres.list()));
      expect(await tokenRequests('client_credentials')).toBe(1);
      await kit.control.expireTokens('1');
      await Promise.all(Array.from({ length: 50 }, () => fortnox.costCentres.list()));
      expect(await tokenRequests('client_credentials')).toBe(2);
      const refused = await kit.control.requests({ route: '/3/costcenters' });
      expect(refused.filter((request) => request.status === 401).length).toBeGreaterThan(0);
      expect(refused.filter((request) => request.status === 200)).toHaveLength(100);
    });

    it('asks for re-authorisation when the company withdrew its consent, and leaves other tenants alone', async () => {
      const revoked = sandboxClient(kit.sandbox, '1');
      const other = sandboxClient(kit.sandbox, '2');
      await kit.control.revokeConsent('1');
      await expect(revoked.costCentres.list()).rejects.toBeInstanceOf(FortnoxReauthorisationRequiredError);
      await expect(revoked.costCentres.list()).rejects.toThrow(/re-authorised for tenant tenant-1/);
      await expect(other.costCentres.list()).resolves.not.toHaveLength(0);
    });

    it('retries, rather than asking a person, when a new token runs out before Fortnox answers', async () => {
      const fortnox = sandboxClient(kit.sandbox, '1');
      await kit.control.settings({ accessTokenLifetimeSeconds: 1 });
      try {
        // Both the first call and its retry with a new token are held longer than a token lives.
        await kit.control.addFault({ route: '/3/costcenters', kind: 'latency', latencyMs: 1_500, count: 2 });
        const error: unknown = await fortnox.costCentres.list().catch((failure: unknown) => failure);
        expect(error).toBeInstanceOf(FortnoxTokenExpiredError);
        expect(classifyFortnoxError(error)).toEqual({ kind: 'retryable' });
        await expect(fortnox.costCentres.list()).resolves.not.toHaveLength(0);
      } finally {
        await kit.control.settings({ accessTokenLifetimeSeconds: 3600 });
      }
    });

    it('gets access back once an administrator approves the service account again, storing no tokens', async () => {
      const fortnox = sandboxClient(kit.sandbox, '1');
      await kit.control.revokeConsent('1');
      await expect(fortnox.costCentres.list()).rejects.toThrow(/npm run authorize -- --tenant tenant-1 --service-account/);
      const { store, consentUrl } = await authorize('1', true);
      expect(new URL(consentUrl).searchParams.get('account_type')).toBe('service');
      expect(await store.read('tenant-1')).toBeUndefined();
      // The client answers a refusal from memory for 5 s (so waiting invoices do not each ask Fortnox); after that
      // the same client, as a running worker's, gets in again.
      await vi.waitFor(() => expect(fortnox.costCentres.list()).resolves.not.toHaveLength(0), { timeout: 8_000, interval: 500 });
    });
  });

  describe('authorization code with rotating refresh tokens', () => {
    it('stores the tokens from the operator\'s consent and calls Fortnox with them', async () => {
      const { store } = await authorize('2');
      expect(await store.read('tenant-2')).toMatchObject({ refreshToken: expect.any(String) as string });
      expect(await refreshTokenClient('2', store).companyInformation.get()).toMatchObject({ DatabaseNumber: '2' });
    });

    it('refreshes an expired access token transparently and stores the rotated refresh token first', async () => {
      const { store } = await authorize('1');
      const before = await store.read('tenant-1');
      await kit.control.expireTokens('1');
      await expect(refreshTokenClient('1', store).costCentres.list()).resolves.not.toHaveLength(0);
      const after = await store.read('tenant-1');
      expect(after?.refreshToken).not.toBe(before?.refreshToken);
      expect(await tokenRequests('refresh_token')).toBe(1);
    });

    it('makes one refresh when two processes\' clients find the token expired at once', async () => {
      const { store, dir } = await authorize('1');
      await kit.control.expireTokens('1');
      // Two clients with their own store objects over one directory: two worker processes sharing a volume.
      const first = refreshTokenClient('1', store);
      const second = refreshTokenClient('1', new FileTokenStore(dir));
      await Promise.all([first.costCentres.list(), second.costCentres.list(), first.projects.list(), second.projects.list()]);
      expect(await tokenRequests('refresh_token')).toBe(1);
      expect((await kit.control.requests({ route: '/oauth-v1/token' })).filter((request) => request.status === 400)).toEqual([]);
    });

    it('asks for re-authorisation when its refresh token was already used elsewhere', async () => {
      const { store } = await authorize('1');
      const stored = await store.read('tenant-1');
      // Someone else spends the single-use refresh token (a copy of the token file, say).
      await requestToken({
        http,
        authBaseUrl: `${kit.sandbox.url}/oauth-v1`,
        identity: SANDBOX_CLIENT,
        tenant: 'tenant-1',
        grant: { grant_type: 'refresh_token', refresh_token: stored?.refreshToken ?? '' },
      });
      await kit.control.expireTokens('1');
      const failure = refreshTokenClient('1', store).costCentres.list();
      await expect(failure).rejects.toBeInstanceOf(FortnoxReauthorisationRequiredError);
      await expect(failure).rejects.toThrow(/refresh token was already used/);
    });

    it('asks for re-authorisation when nothing was ever authorised for the tenant', async () => {
      const { store } = temporaryTokenStore();
      await expect(refreshTokenClient('1', store).costCentres.list()).rejects.toThrow(/no Fortnox tokens are stored/);
    });
  });
});

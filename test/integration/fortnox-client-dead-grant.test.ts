import { describe, expect, it } from 'vitest';
import { authorizeTenant } from '../../src/fortnox/auth/authorize.js';
import type { FileTokenStore } from '../../src/fortnox/auth/token-store.js';
import { createFortnoxClient } from '../../src/fortnox/client.js';
import { FortnoxReauthorisationRequiredError } from '../../src/fortnox/errors.js';
import { createHttp } from '../../src/fortnox/http.js';
import { freePort } from '../../src/http/free-port.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import { temporaryTokenStore, useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';

describe('Fortnox client against the sandbox: a refresh token Fortnox refused', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  const http = createHttp({ timeoutMs: 5_000 });

  async function authorize(store: FileTokenStore): Promise<void> {
    await authorizeTenant({
      http,
      authBaseUrl: `${kit.sandbox.url}/oauth-v1`,
      identity: SANDBOX_CLIENT,
      tenant: 'alfa',
      store,
      redirectUri: `http://localhost:${await freePort()}/callback`,
      onConsentUrl: (url) => void fetch(`${url}&tenant=1`),
    });
  }
  const clientOn = (store: FileTokenStore) =>
    createFortnoxClient({ tenant: 'alfa', auth: { kind: 'refreshToken', ...SANDBOX_CLIENT, store }, apiBaseUrl: kit.sandbox.url, authBaseUrl: `${kit.sandbox.url}/oauth-v1` });
  const refreshGrants = async () => (await kit.control.requests({ route: '/oauth-v1/token' })).filter((request) => JSON.stringify(request.body).includes('refresh_token'));

  it('asks Fortnox once, then fails every later call at once until the tenant is authorised again', async () => {
    const { store } = temporaryTokenStore();
    await authorize(store);
    const fortnox = clientOn(store);
    await fortnox.costCentres.list();
    await kit.control.revokeConsent('1');

    // Waves of calls, as invoices arrive one after another after the revocation.
    for (let wave = 0; wave < 5; wave += 1) {
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => fortnox.costCentres.list()));
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as unknown;
        expect(reason).toBeInstanceOf(FortnoxReauthorisationRequiredError);
        expect(String(reason)).toMatch(/re-authorised for tenant alfa .*consent was revoked.*npm run authorize -- --tenant alfa/);
      }
    }
    expect((await refreshGrants()).map((request) => request.status)).toEqual([400]);

    await authorize(store);
    await expect(fortnox.costCentres.list()).resolves.not.toHaveLength(0);
    expect((await kit.control.refreshGrants()).tenants['1']).toMatchObject({ revoked: 1, reused: 0 });
  });
});

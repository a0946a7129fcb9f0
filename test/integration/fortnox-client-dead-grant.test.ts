import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizeTenant } from '../../src/fortnox/auth/authorize.js';
import type { FileTokenStore } from '../../src/fortnox/auth/token-store.js';
import { createFortnoxClient } from '../../src/fortnox/client.js';
import { FortnoxReauthorisationRequiredError } from '../../src/fortnox/errors.js';
import { createHttp } from '../../src/fortnox/http.js';
import { freePort } from '../../src/http/free-port.js';
import { SANDBOX_CLIENT, startFortnoxSandbox, type FortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { sandboxControl, temporaryTokenStore } from '../helpers/fortnox-sandbox.js';

describe('Fortnox client against the sandbox: a refresh token Fortnox refused', () => {
  let sandbox: FortnoxSandbox;
  let control: ReturnType<typeof sandboxControl>;
  const http = createHttp({ timeoutMs: 5_000 });
  beforeAll(async () => {
    sandbox = await startFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
    control = sandboxControl(sandbox);
  });
  beforeEach(async () => {
    await control.reset();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function authorize(store: FileTokenStore): Promise<void> {
    await authorizeTenant({
      http,
      authBaseUrl: `${sandbox.url}/oauth-v1`,
      identity: SANDBOX_CLIENT,
      tenant: 'alfa',
      store,
      redirectUri: `http://localhost:${await freePort()}/callback`,
      onConsentUrl: (url) => void fetch(`${url}&tenant=1`),
    });
  }
  const clientOn = (store: FileTokenStore) =>
    createFortnoxClient({ tenant: 'alfa', auth: { kind: 'refreshToken', ...SANDBOX_CLIENT, store }, apiBaseUrl: sandbox.url, authBaseUrl: `${sandbox.url}/oauth-v1` });
  const refreshGrants = async () => (await control.requests({ route: '/oauth-v1/token' })).filter((request) => JSON.stringify(request.body).includes('refresh_token'));

  it('asks Fortnox once, then fails every later call at once until the tenant is authorised again', async () => {
    const { store } = temporaryTokenStore();
    await authorize(store);
    const fortnox = clientOn(store);
    await fortnox.costCentres.list();
    await control.revokeConsent('1');

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
    expect((await control.refreshGrants()).tenants['1']).toMatchObject({ revoked: 1, reused: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';
import { authorizationCode, tokenRequest } from './sandbox-kit.js';

describe('Fortnox sandbox: counting refresh grants, to prove no refresh token is used twice', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1', '2'] });

  async function refreshTokenFor(tenant: string): Promise<string> {
    const { code } = await authorizationCode(kit.sandbox, { tenant });
    const answer = await tokenRequest(kit.sandbox, { grant_type: 'authorization_code', code: code ?? '', redirect_uri: 'http://localhost:5555/callback' });
    return (answer.json as { refresh_token: string }).refresh_token;
  }
  const refresh = (token: string) => tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: token });

  it('counts a spent refresh token used again as reused, for its tenant, and logs the refusal under that tenant', async () => {
    const first = await refreshTokenFor('1');
    const second = (await refresh(first)).json as { refresh_token: string };
    expect((await refresh(first)).status).toBe(400);
    expect((await refresh(second.refresh_token)).status).toBe(200);
    expect(await kit.control.refreshGrants()).toEqual({ tenants: { '1': { accepted: 2, reused: 1, revoked: 0, expired: 0 } }, unknown: 0 });
    const refused = (await kit.control.requests({ route: '/oauth-v1/token' })).filter((request) => request.status === 400);
    expect(refused.map((request) => request.tenant)).toEqual(['1']);
  });

  it('tells a refresh token revoked with the consent, and one never issued, from a reused one', async () => {
    const one = await refreshTokenFor('1');
    const two = await refreshTokenFor('2');
    await kit.control.revokeConsent('1');
    expect((await refresh(one)).json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    expect((await refresh('2b4c0d9e-0000-4000-8000-000000000000')).status).toBe(400);
    expect((await refresh(two)).status).toBe(200);
    expect(await kit.control.refreshGrants()).toEqual({
      tenants: { '1': { accepted: 0, reused: 0, revoked: 1, expired: 0 }, '2': { accepted: 1, reused: 0, revoked: 0, expired: 0 } },
      unknown: 1,
    });
  });

  it('starts the counts afresh on reset', async () => {
    await refresh(await refreshTokenFor('2'));
    await kit.control.reset();
    expect(await kit.control.refreshGrants()).toEqual({ tenants: {}, unknown: 0 });
  });
});

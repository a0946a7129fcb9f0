import { describe, expect, it } from 'vitest';
import { useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';
import { startFortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { authorizationCode, control, tokenRequest } from './sandbox-kit.js';

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

  it('refuses a refresh token older than the configured lifetime with invalid_grant and counts it as expired, replays too', async () => {
    const token = await refreshTokenFor('1');
    await kit.control.settings({ refreshTokenLifetimeSeconds: 1 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const refused = await refresh(token);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(refused.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
      expect((await refresh(token)).status).toBe(400);
      expect(await kit.control.refreshGrants()).toEqual({ tenants: { '1': { accepted: 0, reused: 0, revoked: 0, expired: 2 } }, unknown: 0 });
    } finally {
      await kit.control.settings({ refreshTokenLifetimeSeconds: 45 * 24 * 3600 });
    }
  });

  it('keeps a refresh token good for 45 days by default, and for as long as startFortnoxSandbox is told', async () => {
    expect((await control(kit.sandbox).call('GET', '/settings')).json).toMatchObject({ refreshTokenLifetimeSeconds: 3_888_000 });
    const short = await startFortnoxSandbox({ rateLimit: false, refreshTokenLifetimeSeconds: 1 });
    try {
      const { code } = await authorizationCode(short);
      const issued = (await tokenRequest(short, { grant_type: 'authorization_code', code: code ?? '', redirect_uri: 'http://localhost:5555/callback' })).json as { refresh_token: string };
      const fresh = (await tokenRequest(short, { grant_type: 'refresh_token', refresh_token: issued.refresh_token })).json as { refresh_token: string };
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await tokenRequest(short, { grant_type: 'refresh_token', refresh_token: fresh.refresh_token })).json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
      expect((await control(short).call('GET', '/tokens')).json).toEqual({ refreshGrants: { tenants: { '1': { accepted: 1, reused: 0, revoked: 0, expired: 1 } }, unknown: 0 } });
    } finally {
      await short.close();
    }
  });

  it('starts the counts afresh on reset', async () => {
    await refresh(await refreshTokenFor('2'));
    await kit.control.reset();
    expect(await kit.control.refreshGrants()).toEqual({ tenants: {}, unknown: 0 });
  });
});

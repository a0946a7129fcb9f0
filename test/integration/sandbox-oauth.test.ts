import { describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import { useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';
import { api, authorizationCode, basicAuth, clientCredentialsToken, control, errorOf, tokenRequest } from './sandbox-kit.js';

const REDIRECT = 'http://localhost:5555/callback';

describe('Fortnox sandbox: OAuth', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1', '2'], today: () => '2026-03-15' });

  async function exchange(code: string | null, redirectUri = REDIRECT) {
    return tokenRequest(kit.sandbox, { grant_type: 'authorization_code', code: code ?? '', redirect_uri: redirectUri });
  }

  describe('client credentials', () => {
    it('issues a bearer access token for a known TenantId, without a refresh token', async () => {
      const answer = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, { TenantId: '2' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(answer.json as object)).toEqual(['access_token', 'expires_in', 'token_type', 'scope']);
      expect(answer.json).toMatchObject({ expires_in: 3600, token_type: 'bearer' });
      const companyInformation = await api(kit.sandbox, (answer.json as { access_token: string }).access_token).get('/3/companyinformation');
      expect(companyInformation.json).toMatchObject({ CompanyInformation: { DatabaseNumber: 2 } });
    });

    it('issues a JWT-shaped token whose payload names the tenant and the client', async () => {
      const token = await clientCredentialsToken(kit.sandbox, '1');
      const parts = token.split('.');
      expect(parts).toHaveLength(3);
      const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(payload).toMatchObject({ tenantId: '1', clientId: 'sandbox-client' });
      expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
    });

    it.each([
      ['an unknown TenantId', { TenantId: '99' }],
      ['no TenantId', {}],
    ])('answers 400 invalid_client in text/html for %s', async (_name, headers) => {
      const answer = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, headers);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(answer.json).toEqual({ error: 'invalid_client', error_description: 'The client credentials are invalid' });
    });
  });

  it.each([
    ['a wrong secret', basicAuth(SANDBOX_CLIENT.clientId, 'wrong')],
    ['an unknown client', basicAuth('someone-else', 'sandbox-secret')],
    ['no Authorization header', ''],
  ])('answers 401 invalid_client in text/plain for %s', async (_name, authorization) => {
    const answer = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, { TenantId: '1', Authorization: authorization });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(answer.json).toEqual({ error: 'invalid_client', error_description: 'The client credentials are invalid' });
  });

  describe('authorization code', () => {
    it('redirects the consent to redirect_uri with a code and the unchanged state', async () => {
      const consent = await authorizationCode(kit.sandbox, { state: 'å ä/ö' });
      expect(consent.status).toBe(302);
      const location = new URL(consent.location ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('state')).toBe('å ä/ö');
      expect(consent.code).toMatch(/^[\w-]{20,}$/);
    });

    it('exchanges the code once for an access and a refresh token for the chosen tenant', async () => {
      const { code } = await authorizationCode(kit.sandbox, { tenant: '2' });
      const answer = await exchange(code);
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.json as object)).toEqual(['access_token', 'expires_in', 'token_type', 'scope', 'refresh_token']);
      expect(answer.json).toMatchObject({ token_type: 'bearer', scope: 'companyinformation customer invoice costcenter project bookkeeping' });
      expect((await api(kit.sandbox, (answer.json as { access_token: string }).access_token).get('/3/companyinformation')).json).toMatchObject({
        CompanyInformation: { DatabaseNumber: 2 },
      });
      const again = await exchange(code);
      expect(again.status).toBe(400);
      expect(again.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(again.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid authorization code' });
    });

    it('refuses a code exchanged with another redirect_uri', async () => {
      const { code } = await authorizationCode(kit.sandbox);
      const answer = await exchange(code, 'http://localhost:5555/elsewhere');
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid authorization code' });
    });

    it.each([
      ['an unknown client_id', { client_id: 'nobody' }, /Unknown client_id "nobody"/],
      ['no redirect_uri', { redirect_uri: '' }, /redirect_uri is missing/],
      ['no state', { state: '' }, /state is missing/],
      ['an unknown tenant', { tenant: '42' }, /Unknown tenant "42"/],
    ])('refuses a consent request with %s, saying why', async (_name, query, message) => {
      const consent = await authorizationCode(kit.sandbox, query);
      expect(consent.status).toBe(400);
      expect(consent.location).toBeNull();
      expect(consent.text).toMatch(message);
    });
  });

  describe('refresh tokens', () => {
    async function refreshToken(tenant = '1'): Promise<string> {
      const { code } = await authorizationCode(kit.sandbox, { tenant });
      return ((await exchange(code)).json as { refresh_token: string }).refresh_token;
    }

    it('rotates: a refresh gives a new access and refresh token, and the old refresh token is spent', async () => {
      const first = await refreshToken();
      const rotated = await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: first });
      expect(rotated.status).toBe(200);
      const second = (rotated.json as { refresh_token: string }).refresh_token;
      expect(second).not.toBe(first);
      const replay = await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: first });
      expect(replay.status).toBe(400);
      expect(replay.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(replay.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
      expect((await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: second })).status).toBe(200);
    });

    it('answers invalid_grant for a refresh token it never issued', async () => {
      const answer = await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: '2b4c0d9e-0000-4000-8000-000000000000' });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    });

    it('answers unsupported_grant_type for a grant it does not know', async () => {
      const answer = await tokenRequest(kit.sandbox, { grant_type: 'password' });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('logs token requests with the grant type only, never secrets, codes or tokens', async () => {
      const token = await refreshToken();
      await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: token });
      const log = await control(kit.sandbox).requests('?route=/oauth-v1/token');
      expect((log.json as { body: unknown }[]).map((entry) => entry.body)).toEqual([{ grant_type: 'authorization_code' }, { grant_type: 'refresh_token' }]);
      expect(log.text).not.toContain(token);
      expect(log.text).not.toContain('sandbox-secret');
    });
  });

  describe('the bearer token on /3', () => {
    it('answers 401 {"message":"unauthorized"} for a missing, unknown or expired token', async () => {
      const token = await clientCredentialsToken(kit.sandbox, '1');
      await control(kit.sandbox).call('POST', '/tokens/expire', { tenant: '1' });
      for (const answer of [
        await api(kit.sandbox, token).get('/3/customers'),
        await api(kit.sandbox, 'not-a-token').get('/3/customers'),
        await fetch(`${kit.sandbox.url}/3/customers`).then(async (response) => ({ status: response.status, headers: response.headers, json: (await response.json()) })),
      ]) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get('content-type')).toBe('application/json');
        expect(answer.json).toEqual({ message: 'unauthorized' });
      }
    });

    it('expires only the named tenant\'s tokens', async () => {
      const [one, two] = [await clientCredentialsToken(kit.sandbox, '1'), await clientCredentialsToken(kit.sandbox, '2')];
      expect((await control(kit.sandbox).call('POST', '/tokens/expire', { tenant: '1' })).json).toEqual({ expired: 1 });
      expect((await api(kit.sandbox, one).get('/3/costcenters')).status).toBe(401);
      expect((await api(kit.sandbox, two).get('/3/costcenters')).status).toBe(200);
    });

    it('lets a token lapse after its lifetime', async () => {
      await control(kit.sandbox).call('PUT', '/settings', { accessTokenLifetimeSeconds: 1 });
      try {
        const answer = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, { TenantId: '1' });
        expect(answer.json).toMatchObject({ expires_in: 1 });
        const token = (answer.json as { access_token: string }).access_token;
        expect((await api(kit.sandbox, token).get('/3/costcenters')).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        expect((await api(kit.sandbox, token).get('/3/costcenters')).status).toBe(401);
      } finally {
        await control(kit.sandbox).call('PUT', '/settings', { accessTokenLifetimeSeconds: 3600 });
      }
    });

    it('answers 403 with 2000663 when the token lacks the resource\'s scope', async () => {
      const { code } = await authorizationCode(kit.sandbox, { scope: 'companyinformation' });
      const token = ((await exchange(code)).json as { access_token: string }).access_token;
      expect((await api(kit.sandbox, token).get('/3/companyinformation')).status).toBe(200);
      const refused = await api(kit.sandbox, token).get('/3/invoices');
      expect(refused.status).toBe(403);
      expect(errorOf(refused)).toEqual({ error: 1, message: 'Har inte behörighet för scope (invoice)', code: 2000663 });
    });
  });

  describe('withdrawn consent', () => {
    it('stops the tenant\'s access and refresh tokens and its client credentials until consent is given again', async () => {
      const { code } = await authorizationCode(kit.sandbox, { tenant: '1' });
      const tokens = (await exchange(code)).json as { access_token: string; refresh_token: string };
      const other = await clientCredentialsToken(kit.sandbox, '2');
      expect((await control(kit.sandbox).call('POST', '/tenants/1/revoke')).json).toEqual({ tenantId: '1', consent: false });

      expect((await api(kit.sandbox, tokens.access_token).get('/3/customers')).status).toBe(401);
      expect((await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).json).toEqual({
        error: 'invalid_grant',
        error_description: 'Invalid refresh token',
      });
      const credentials = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, { TenantId: '1' });
      expect(credentials.status).toBe(400);
      expect(credentials.json).toMatchObject({ error: 'invalid_client' });
      expect((await api(kit.sandbox, other).get('/3/customers')).status).toBe(200);

      await control(kit.sandbox).call('POST', '/tenants/1/consent');
      expect((await tokenRequest(kit.sandbox, { grant_type: 'client_credentials' }, { TenantId: '1' })).status).toBe(200);
    });
  });

  it('revokes a refresh token on /oauth-v1/revoke and answers {"revoked":true} whatever the token', async () => {
    const { code } = await authorizationCode(kit.sandbox);
    const { refresh_token } = (await exchange(code)).json as { refresh_token: string };
    const revoke = async (token: string) =>
      fetch(`${kit.sandbox.url}/oauth-v1/revoke`, {
        method: 'POST',
        headers: { Authorization: basicAuth(), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token_type_hint: 'refresh_token', token }).toString(),
      });
    expect(await (await revoke(refresh_token)).json()).toEqual({ revoked: true });
    expect(await (await revoke('made-up')).json()).toEqual({ revoked: true });
    expect((await tokenRequest(kit.sandbox, { grant_type: 'refresh_token', refresh_token })).status).toBe(400);
  });
});

import type { KyInstance } from 'ky';
import { z } from 'zod';
import { FortnoxReauthorisationRequiredError, FortnoxUnexpectedResponseError } from '../errors.js';
import { redactSecrets } from '../../log/redact.js';
import { errorFromResponse, parseErrorBody, send } from '../http.js';

/** The integration's identity at Fortnox, from the Developer Portal. A secret: never in workflow data or logs. */
export interface FortnoxClientIdentity {
  clientId: string;
  clientSecret: string;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
});

export interface TokenGrant {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  scope: string | undefined;
  refreshToken: string | undefined;
}

export type GrantRequest =
  | { grant_type: 'client_credentials'; tenantId: string }
  | { grant_type: 'authorization_code'; code: string; redirect_uri: string }
  | { grant_type: 'refresh_token'; refresh_token: string };

/**
 * One call to Fortnox's token endpoint (`POST <authBaseUrl>/token`). `invalid_grant` and `invalid_client` mean
 * the company's consent or our credentials are gone: a person must act, so they become
 * {@link FortnoxReauthorisationRequiredError}. Fortnox labels these JSON bodies text/html, so the body is parsed
 * whatever the content type says.
 */
export async function requestToken(options: {
  http: KyInstance;
  authBaseUrl: string;
  identity: FortnoxClientIdentity;
  tenant: string;
  grant: GrantRequest;
  now?: () => number;
}): Promise<TokenGrant> {
  const { grant } = options;
  const request = 'POST /oauth-v1/token';
  const form = new URLSearchParams();
  form.set('grant_type', grant.grant_type);
  if (grant.grant_type === 'authorization_code') {
    form.set('code', grant.code);
    form.set('redirect_uri', grant.redirect_uri);
  } else if (grant.grant_type === 'refresh_token') {
    form.set('refresh_token', grant.refresh_token);
  }
  const basic = Buffer.from(`${options.identity.clientId}:${options.identity.clientSecret}`).toString('base64');
  const headers: Record<string, string> = { Authorization: `Basic ${basic}`, Accept: 'application/json' };
  if (grant.grant_type === 'client_credentials') headers.TenantId = grant.tenantId;

  const started = (options.now ?? Date.now)();
  const response = await send(options.http, request, `${options.authBaseUrl}/token`, { method: 'post', body: form, headers });
  if (!response.ok) {
    if (response.status === 400 || response.status === 401) {
      const parsed = parseErrorBody(await response.clone().text());
      // Fortnox's own text goes into messages a person reads (Summa, the Web UI): never with our credentials in it.
      const message = parsed.message === undefined ? undefined : redactSecrets(parsed.message, [options.identity.clientSecret]);
      const kind = parsed.oauthError;
      if (kind === 'invalid_grant') {
        const what = grant.grant_type === 'refresh_token' ? 'the refresh token was already used, has expired or consent was revoked' : 'the authorization code was refused';
        throw new FortnoxReauthorisationRequiredError(request, options.tenant, `${what}: ${message ?? kind}`, grant.grant_type === 'client_credentials');
      }
      if (kind === 'invalid_client') {
        throw new FortnoxReauthorisationRequiredError(
          request,
          options.tenant,
          `Fortnox refused the client credentials${grant.grant_type === 'client_credentials' ? ` for TenantId ${grant.tenantId}` : ''} (check the client id and secret, or whether the company withdrew its consent): ${message ?? kind}`,
          grant.grant_type === 'client_credentials',
        );
      }
    }
    throw await errorFromResponse(request, response);
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    throw new FortnoxUnexpectedResponseError(request, 'token response is not JSON');
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) throw new FortnoxUnexpectedResponseError(request, 'token response lacks access_token or expires_in');
  return {
    accessToken: parsed.data.access_token,
    expiresAt: started + parsed.data.expires_in * 1_000,
    scope: parsed.data.scope,
    refreshToken: parsed.data.refresh_token,
  };
}

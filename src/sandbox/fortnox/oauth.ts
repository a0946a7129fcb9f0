// Fortnox's OAuth endpoints (apps.fortnox.se/oauth-v1), per reference/fortnox-api.md §1:
// - GET  /oauth-v1/auth: the consent page. The sandbox consents at once and redirects with a code; the
//   sandbox-only parameter `tenant` picks the company that "logs in" (default: the first tenant). Consenting
//   again after a revocation restores the consent, as a user re-authorising the integration does.
// - POST /oauth-v1/token: client_credentials (TenantId header), authorization_code and refresh_token grants.
// - POST /oauth-v1/revoke: revokes a refresh token; always answers {"revoked":true}, as Fortnox does even for
//   made-up tokens (softwerkab issue 224).
// Error bodies are JSON with the misleading content types Fortnox uses: text/plain for a bad client (401),
// text/html for 400s ([VCR-23], [VCR-26]).
import { ALL_SCOPES } from './api.js';
import { emptyResponse, jsonResponse, mediaType, textResponse, type SandboxRequest, type SandboxResponse } from './http.js';
import type { Tenants } from './tenants.js';
import type { TokenStore } from './tokens.js';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthDeps {
  clients: readonly OAuthClient[];
  tenants: Tenants;
  tokens: TokenStore;
  accessTokenLifetimeSeconds: () => number;
}

const DEFAULT_SCOPE = ALL_SCOPES.join(' ');

function oauthError(status: 400 | 401, error: string, description: string): SandboxResponse {
  const contentType = status === 401 ? 'text/plain;charset=UTF-8' : 'text/html; charset=UTF-8';
  return textResponse(status, JSON.stringify({ error, error_description: description }), contentType);
}

const invalidClient401 = () => oauthError(401, 'invalid_client', 'The client credentials are invalid');
const invalidClient400 = () => oauthError(400, 'invalid_client', 'The client credentials are invalid');

function plain(status: number, message: string): SandboxResponse {
  return textResponse(status, message, 'text/plain; charset=utf-8');
}

/** The client a Basic Authorization header names, if its secret matches. */
function authenticate(request: SandboxRequest, clients: readonly OAuthClient[]): OAuthClient | undefined {
  const header = request.headers.authorization;
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const [clientId, clientSecret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return clients.find((client) => client.clientId === clientId && client.clientSecret === clientSecret);
}

function tenantHeader(request: SandboxRequest): string | undefined {
  const value = request.headers.tenantid;
  return Array.isArray(value) ? value[0] : value;
}

/** The tenant a request to /oauth-v1 is about, found without changing anything (for faults and the log). */
export function peekOAuthTenant(request: SandboxRequest, body: Buffer, deps: OAuthDeps): string | null {
  if (request.path === '/oauth-v1/auth') return request.query.get('tenant') ?? deps.tenants.ids()[0] ?? null;
  const header = tenantHeader(request);
  if (header !== undefined) return header;
  const form = new URLSearchParams(body.toString('utf8'));
  const refresh = form.get('refresh_token');
  const code = form.get('code');
  return (refresh === null ? undefined : deps.tokens.peekRefreshToken(refresh)?.tenantId) ?? (code === null ? undefined : deps.tokens.peekCode(code)?.tenantId) ?? null;
}

/** What the request log may show of an OAuth request's body: the grant type, never secrets, codes or tokens. */
export function oauthLogBody(request: SandboxRequest, body: Buffer): unknown {
  if (request.path === '/oauth-v1/token') return { grant_type: new URLSearchParams(body.toString('utf8')).get('grant_type') };
  if (request.path === '/oauth-v1/revoke') return { token_type_hint: new URLSearchParams(body.toString('utf8')).get('token_type_hint') };
  return null;
}

/** Answers a request under /oauth-v1. */
export function handleOAuth(request: SandboxRequest, body: Buffer, deps: OAuthDeps): SandboxResponse {
  if (request.path === '/oauth-v1/auth') return request.method === 'GET' ? authorize(request, deps) : plain(405, 'Use GET for /oauth-v1/auth');
  if (request.path !== '/oauth-v1/token' && request.path !== '/oauth-v1/revoke') return plain(404, `No such OAuth endpoint: ${request.path}`);
  if (request.method !== 'POST') return plain(405, `Use POST for ${request.path}`);
  const client = authenticate(request, deps.clients);
  if (client === undefined) return invalidClient401();
  if (body.length > 0 && mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    return oauthError(400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(body.toString('utf8'));
  if (request.path === '/oauth-v1/revoke') {
    const token = form.get('token');
    if (token !== null) deps.tokens.revokeRefreshToken(token, client.clientId);
    return jsonResponse(200, { revoked: true });
  }
  return token(request, form, client, deps);
}

function token(request: SandboxRequest, form: URLSearchParams, client: OAuthClient, deps: OAuthDeps): SandboxResponse {
  const lifetime = deps.accessTokenLifetimeSeconds();
  switch (form.get('grant_type')) {
    case 'client_credentials': {
      const tenantId = tenantHeader(request);
      // A missing, unknown or revoked TenantId is 400 invalid_client in text/html ([VCR-26] invalid_credentials.yml).
      if (tenantId === undefined || !deps.tenants.hasConsent(tenantId)) return invalidClient400();
      const scope = form.get('scope') ?? DEFAULT_SCOPE;
      const accessToken = deps.tokens.issueAccessToken({ clientId: client.clientId, tenantId, scope }, lifetime);
      // Key order as recorded: access_token, expires_in, token_type, scope; no refresh token in this flow.
      return jsonResponse(200, { access_token: accessToken, expires_in: lifetime, token_type: 'bearer', scope });
    }
    case 'authorization_code': {
      const grant = deps.tokens.consumeCode(form.get('code') ?? '', client.clientId, form.get('redirect_uri') ?? '');
      if (grant === undefined || !deps.tenants.hasConsent(grant.tenantId)) return oauthError(400, 'invalid_grant', 'Invalid authorization code');
      return tokensFor(grant, lifetime, deps);
    }
    case 'refresh_token': {
      // Single use: the old refresh token dies with this call, a replay gets invalid_grant ([VCR-23]).
      const grant = deps.tokens.consumeRefreshToken(form.get('refresh_token') ?? '', client.clientId);
      if (grant === undefined || !deps.tenants.hasConsent(grant.tenantId)) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
      return tokensFor(grant, lifetime, deps);
    }
    default:
      return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
  }
}

function tokensFor(grant: { clientId: string; tenantId: string; scope: string }, lifetime: number, deps: OAuthDeps): SandboxResponse {
  const accessToken = deps.tokens.issueAccessToken(grant, lifetime);
  const refreshToken = deps.tokens.issueRefreshToken(grant);
  // Key order as recorded in [VCR-23] authentication/valid_request.yml.
  return jsonResponse(200, { access_token: accessToken, expires_in: lifetime, token_type: 'bearer', scope: grant.scope, refresh_token: refreshToken });
}

function authorize(request: SandboxRequest, deps: OAuthDeps): SandboxResponse {
  const { query } = request;
  const clientId = query.get('client_id');
  if (clientId === undefined || !deps.clients.some((client) => client.clientId === clientId)) {
    return plain(400, `Unknown client_id ${JSON.stringify(clientId ?? '')}: the sandbox knows only its configured clients.`);
  }
  if (query.get('response_type') !== 'code') return plain(400, 'response_type must be "code".');
  const redirect = query.get('redirect_uri');
  let redirectUrl: URL;
  try {
    redirectUrl = new URL(redirect ?? '');
    if (redirectUrl.protocol !== 'http:' && redirectUrl.protocol !== 'https:') throw new Error('not http');
  } catch {
    return plain(400, 'redirect_uri is missing or not an absolute http(s) URL. The sandbox has no registered redirect URI to fall back on.');
  }
  const state = query.get('state');
  if (state === undefined || state === '') return plain(400, 'state is missing: Fortnox requires it and returns it unchanged.');
  const scope = query.get('scope');
  if (scope === undefined || scope.trim() === '') return plain(400, 'scope is missing: list the scopes the integration needs, space-separated.');
  const tenantId = query.get('tenant') ?? deps.tenants.ids()[0];
  if (tenantId === undefined || !deps.tenants.has(tenantId)) {
    return plain(400, `Unknown tenant ${JSON.stringify(tenantId ?? '')}: the sandbox has tenants ${deps.tenants.ids().join(', ')}.`);
  }
  deps.tenants.restoreConsent(tenantId);
  const code = deps.tokens.issueCode({ clientId, tenantId, scope: scope.trim().split(/\s+/).join(' ') }, redirect ?? '');
  redirectUrl.searchParams.set('code', code);
  redirectUrl.searchParams.set('state', state);
  return emptyResponse(302, { Location: redirectUrl.toString() });
}

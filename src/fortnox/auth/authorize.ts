import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { KyInstance } from 'ky';
import { storedTokensFrom } from './access-token.js';
import { requestToken, type FortnoxClientIdentity } from './token-endpoint.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** The scopes the integration needs (fortnox-api.md §1.2); `settings` covers terms of payment, `currency` currencies. */
export const FORTNOX_SCOPES = ['customer', 'invoice', 'costcenter', 'project', 'bookkeeping', 'companyinformation', 'settings', 'currency'];

/** Fortnox's consent page for this integration (`GET <authBaseUrl>/auth`). */
export function consentUrl(options: {
  authBaseUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  serviceAccount?: boolean;
}): string {
  const url = new URL(`${options.authBaseUrl}/auth`);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('scope', options.scopes.join(' '));
  url.searchParams.set('state', options.state);
  url.searchParams.set('access_type', 'offline');
  url.searchParams.set('response_type', 'code');
  // A service account: the company's consent for client credentials with its TenantId (fortnox-api.md §1.3).
  if (options.serviceAccount === true) url.searchParams.set('account_type', 'service');
  return url.toString();
}

export interface AuthorizeOptions {
  http: KyInstance;
  authBaseUrl: string;
  identity: FortnoxClientIdentity;
  tenant: string;
  store: TokenStore;
  /** Must be registered for the app in Fortnox's Developer Portal, e.g. `http://localhost:8765/callback`. */
  redirectUri: string;
  scopes?: readonly string[];
  /** Consent for a service account (client-credentials tenants): nothing is stored, the worker asks for its tokens. */
  serviceAccount?: boolean;
  /** Receives the consent URL to show the operator (or, in tests, to follow). */
  onConsentUrl: (url: string) => void;
  /** How long to wait for the operator, in ms. Default 10 minutes, the lifetime of an authorization code. */
  timeoutMs?: number;
}

/**
 * The operator's side of authorization-code consent: serves the redirect URI on localhost, waits for Fortnox to
 * send the administrator back with a code, exchanges the code and stores the tokens under the tenant's lock.
 */
export async function authorizeTenant(options: AuthorizeOptions): Promise<StoredTokens> {
  const redirect = new URL(options.redirectUri);
  const state = randomBytes(16).toString('hex');
  const code = await new Promise<string>((resolve, reject) => {
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', options.redirectUri);
      if (url.pathname !== redirect.pathname) {
        response.writeHead(404).end();
        return;
      }
      const finish = (status: number, message: string, outcome: () => void) => {
        response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(message);
        clearTimeout(timer);
        server.close();
        outcome();
      };
      const error = url.searchParams.get('error');
      if (error !== null) {
        finish(400, `Fortnox avbröt godkännandet: ${error}`, () => reject(new Error(`Fortnox refused consent: ${error} ${url.searchParams.get('error_description') ?? ''}`)));
      } else if (url.searchParams.get('state') !== state) {
        finish(400, 'Okänt state: starta om godkännandet.', () => reject(new Error('The redirect carried an unexpected state; start again.')));
      } else {
        const received = url.searchParams.get('code') ?? '';
        finish(200, `Klart: summa-fortnox är godkänt för ${options.tenant}. Du kan stänga fönstret.`, () => resolve(received));
      }
    });
    const timer = setTimeout(() => {
      server.close();
      reject(new Error('No answer from Fortnox within the time allowed; start again.'));
    }, options.timeoutMs ?? 600_000);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.listen(Number(redirect.port || 80), redirect.hostname === 'localhost' ? '127.0.0.1' : redirect.hostname, () => {
      options.onConsentUrl(
        consentUrl({ authBaseUrl: options.authBaseUrl, clientId: options.identity.clientId, redirectUri: options.redirectUri, scopes: options.scopes ?? FORTNOX_SCOPES, state, serviceAccount: options.serviceAccount ?? false }),
      );
    });
  });
  return options.store.withLock(options.tenant, async () => {
    const grant = await requestToken({ ...options, grant: { grant_type: 'authorization_code', code, redirect_uri: options.redirectUri } });
    const tokens = storedTokensFrom(grant, Date.now());
    if (options.serviceAccount !== true) await options.store.write(options.tenant, tokens);
    return tokens;
  });
}

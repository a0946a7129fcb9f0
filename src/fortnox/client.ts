import { ClientCredentialsTokenSource, RefreshTokenSource, type AccessTokenSource } from './auth/access-token.js';
import type { FortnoxClientIdentity } from './auth/token-endpoint.js';
import type { TokenStore } from './auth/token-store.js';
import { createHttp, DEFAULT_TIMEOUT_MS } from './http.js';
import { FORTNOX_RATE_LIMIT, SlidingWindowRateLimiter, type RateLimit } from './rate-limiter.js';
import { accounts } from './resources/accounts.js';
import { companyInformation } from './resources/company-information.js';
import { costCentres } from './resources/cost-centres.js';
import { currencies } from './resources/currencies.js';
import { customers } from './resources/customers.js';
import { financialYears } from './resources/financial-years.js';
import { invoicePayments } from './resources/invoice-payments.js';
import { invoices } from './resources/invoices.js';
import { projects } from './resources/projects.js';
import { termsOfPayments } from './resources/terms-of-payments.js';
import { units } from './resources/units.js';
import { FortnoxTransport } from './transport.js';

export const FORTNOX_API_URL = 'https://api.fortnox.se';
export const FORTNOX_AUTH_URL = 'https://apps.fortnox.se/oauth-v1';

/** How the integration proves it may act for one Fortnox company. */
export type FortnoxAuth =
  /** A Fortnox service account: client id and secret plus the company's `TenantId`; no refresh token. */
  | (FortnoxClientIdentity & { kind: 'clientCredentials'; tenantId: string })
  /** Authorization-code consent with rotating refresh tokens kept in `store` (see `npm run authorize`). */
  | (FortnoxClientIdentity & { kind: 'refreshToken'; store: TokenStore });

export interface FortnoxClientOptions {
  /** The tenant's name in messages, locks and token files. */
  tenant: string;
  auth: FortnoxAuth;
  /** Default {@link FORTNOX_API_URL}; the sandbox's URL in demo mode and tests. */
  apiBaseUrl?: string;
  /** Default {@link FORTNOX_AUTH_URL}. */
  authBaseUrl?: string;
  /** Default Fortnox's 25 requests per 5 s. */
  rateLimit?: RateLimit;
  /** A limiter made by the caller (which may change its limit later); takes the place of `rateLimit`. */
  rateLimiter?: SlidingWindowRateLimiter;
  /** Per request, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Asked before every call; throws to refuse it unsent (see FortnoxTransport). */
  guard?: (request: string) => void;
  /** The caller's cancellation, read per call. */
  signal?: () => AbortSignal | undefined;
}

/**
 * A typed Fortnox client for one tenant. Create one per tenant per process and share it: every call made through
 * it shares the tenant's rate-limit budget and its access token.
 */
export function createFortnoxClient(options: FortnoxClientOptions) {
  const http = createHttp({ timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const authBaseUrl = options.authBaseUrl ?? FORTNOX_AUTH_URL;
  const common = { http, authBaseUrl, identity: { clientId: options.auth.clientId, clientSecret: options.auth.clientSecret }, tenant: options.tenant };
  const tokens: AccessTokenSource =
    options.auth.kind === 'clientCredentials'
      ? new ClientCredentialsTokenSource({ ...common, tenantId: options.auth.tenantId })
      : new RefreshTokenSource({ ...common, store: options.auth.store });
  const transport = new FortnoxTransport({
    http,
    apiBaseUrl: options.apiBaseUrl ?? FORTNOX_API_URL,
    tenant: options.tenant,
    tokens,
    rateLimiter: options.rateLimiter ?? new SlidingWindowRateLimiter(options.rateLimit ?? FORTNOX_RATE_LIMIT),
    ...(options.guard === undefined ? {} : { guard: options.guard }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return {
    tenant: options.tenant,
    customers: customers(transport),
    invoices: invoices(transport),
    invoicePayments: invoicePayments(transport),
    costCentres: costCentres(transport),
    projects: projects(transport),
    accounts: accounts(transport),
    financialYears: financialYears(transport),
    companyInformation: companyInformation(transport),
    currencies: currencies(transport),
    termsOfPayments: termsOfPayments(transport),
    units: units(transport),
  };
}

export type FortnoxClient = ReturnType<typeof createFortnoxClient>;

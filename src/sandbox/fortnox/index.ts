// A local Fortnox: a real HTTP server that answers like Fortnox's API v3 (/3), its OAuth endpoints (/oauth-v1)
// and a control API of its own (/sandbox). For demo mode, tests and benchmarks; see the modules beside this
// one for what each part imitates and from which source.
import { listen } from '../../http/listen.js';
import { z } from 'zod';
import { rateLimitSchema, type SandboxSettings } from './control.js';
import { swedishToday, isIsoDate } from './dates.js';
import { Faults } from './faults.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { createSandboxServer } from './server.js';
import { tenantIdPattern, Tenants } from './tenants.js';
import { DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS, TokenStore } from './tokens.js';

export { validateFortnoxRequestBody } from './openapi.js';
export type { LoggedRequest } from './request-log.js';

export interface FortnoxSandboxOptions {
  /** Interface to listen on. Default '127.0.0.1'. */
  host?: string;
  /** Port; default 0 (a random free port). */
  port?: number;
  /** Requests per (client, tenant) in a sliding window, or false for none. Default 25 per 5000 ms, as Fortnox. */
  rateLimit?: { requests: number; windowMs: number } | false;
  /** Lifetime of issued access tokens in seconds. Default 3600, as Fortnox. */
  accessTokenLifetimeSeconds?: number;
  /**
   * How long a refresh token may lie unused, in seconds; older ones are refused with invalid_grant and counted as
   * `expired` in GET /sandbox/tokens. Default 45 days (3 888 000), as Fortnox's current docs say.
   */
  refreshTokenLifetimeSeconds?: number;
  /** OAuth clients the sandbox accepts. Default [SANDBOX_CLIENT]. */
  clients?: { clientId: string; clientSecret: string }[];
  /** Fortnox TenantIds (digits) seeded at start. Default ['1']. */
  tenants?: string[];
  /** Today's date as 'YYYY-MM-DD'; default the real date in Sweden. Seeds the current financial year. */
  today?: () => string;
  /** Largest accepted request body in bytes; larger answers 413. Default 1 048 576. */
  maxBodyBytes?: number;
}

export interface FortnoxSandbox {
  /** e.g. 'http://127.0.0.1:41234' (no trailing slash). API at `${url}/3`, OAuth at `${url}/oauth-v1`, control at `${url}/sandbox`. */
  url: string;
  close(): Promise<void>;
}

/** The demo OAuth client every sandbox accepts unless `clients` says otherwise. Not a secret. */
export const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } as const;

const optionsSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  rateLimit: rateLimitSchema.default({ requests: 25, windowMs: 5000 }),
  accessTokenLifetimeSeconds: z.number().int().min(1).default(3600),
  refreshTokenLifetimeSeconds: z.number().int().min(1).default(DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS),
  clients: z.array(z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1) })).min(1).default([{ ...SANDBOX_CLIENT }]),
  tenants: z.array(z.string().regex(tenantIdPattern, 'a Fortnox TenantId is digits only, e.g. "1"')).min(1).default(['1']),
  today: z.custom<() => string>((value) => typeof value === 'function', 'today must be a function returning YYYY-MM-DD').optional(),
  maxBodyBytes: z.number().int().min(1).default(1_048_576),
});

/** Starts a sandbox and resolves once it listens. */
export async function startFortnoxSandbox(options: FortnoxSandboxOptions = {}): Promise<FortnoxSandbox> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new TypeError(`Invalid Fortnox sandbox options:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const givenToday = config.today;
  const today = () => {
    const date = givenToday === undefined ? swedishToday() : givenToday();
    if (!isIsoDate(date)) throw new TypeError(`today() must return a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
    return date;
  };

  let url = '';
  const settings: SandboxSettings = {
    rateLimit: config.rateLimit,
    accessTokenLifetimeSeconds: config.accessTokenLifetimeSeconds,
    refreshTokenLifetimeSeconds: config.refreshTokenLifetimeSeconds,
  };
  const tenants = new Tenants(config.tenants, today);
  const tokens = new TokenStore(Date.now, () => settings.refreshTokenLifetimeSeconds * 1000);
  const limiter = new SlidingWindowLimiter(() => settings.rateLimit);
  const faults = new Faults();
  const log = new RequestLog();
  const baseUrl = () => url;
  const { server, abort } = createSandboxServer({
    api: { tenants, tokens, limiter, baseUrl, today },
    oauth: { clients: config.clients, tenants, tokens, accessTokenLifetimeSeconds: () => settings.accessTokenLifetimeSeconds },
    control: { tenants, tokens, faults, log, limiter, settings, baseUrl, today },
    faults,
    log,
    maxBodyBytes: config.maxBodyBytes,
    logError: (message, error) => console.error(message, error),
  });

  url = await listen(server, config.port, config.host);

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        abort.abort();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

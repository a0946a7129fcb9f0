import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FileTokenStore } from '../fortnox/auth/token-store.js';
import { createFortnoxClient, type FortnoxClient } from '../fortnox/client.js';
import { FortnoxCallRefusedError } from '../fortnox/errors.js';
import { SlidingWindowRateLimiter, type RateLimit } from '../fortnox/rate-limiter.js';
import type { TenantSettings } from '../config/tenants.js';
import { failureTypes } from '../transfer/index.js';

export interface FortnoxEndpoints {
  apiBaseUrl: string;
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface FortnoxClients {
  /** The tenant's Fortnox client; a NeedsAttention failure for a tenant the configuration does not name. */
  clientFor(tenant: string): FortnoxClient;
  /** Every tenant's limit in this process from now on: its share of Fortnox's limit (src/worker/fortnox-budget.ts). */
  setRequestsPerWindow(requests: number): void;
}

/**
 * One Fortnox client per tenant for this process, made on first use and shared by every activity, so all of a
 * tenant's calls share its rate limit and access token. `tenants` is read at each use, so a tenant added to the
 * configuration is served at once; a tenant whose settings change gets a new client, but keeps its limiter (the
 * calls already in Fortnox's window still count).
 */
export function fortnoxClients(tenants: () => Record<string, TenantSettings>, endpoints: FortnoxEndpoints, rateLimit: RateLimit, tokenDir: string): FortnoxClients {
  const clients = new Map<string, { settings: string; client: FortnoxClient }>();
  const limiters = new Map<string, SlidingWindowRateLimiter>();
  let requests = rateLimit.requests;
  const store = new FileTokenStore(tokenDir);
  const limiterOf = (tenant: string) => {
    let limiter = limiters.get(tenant);
    if (limiter === undefined) {
      limiter = new SlidingWindowRateLimiter({ ...rateLimit, requests });
      limiters.set(tenant, limiter);
    }
    return limiter;
  };
  return {
    setRequestsPerWindow(next) {
      requests = next;
      for (const limiter of limiters.values()) limiter.setRequests(next);
    },
    clientFor(tenant) {
      const current = tenants();
      const settings = Object.hasOwn(current, tenant) ? current[tenant] : undefined;
      if (settings === undefined) {
        throw ApplicationFailure.create({
          type: failureTypes.needsAttention,
          nonRetryable: true,
          message: `Summa-företaget ${tenant} är inte kopplat till något Fortnox-företag — lägg till det i integrationens TENANTS_FILE och tryck Försök igen.`,
        });
      }
      const fingerprint = JSON.stringify(settings.fortnox);
      const existing = clients.get(tenant);
      if (existing?.settings === fingerprint) return existing.client;
      const identity = { clientId: endpoints.clientId, clientSecret: endpoints.clientSecret };
      const client = createFortnoxClient({
        tenant,
        auth:
          settings.fortnox.auth === 'clientCredentials'
            ? { kind: 'clientCredentials', ...identity, tenantId: settings.fortnox.tenantId }
            : { kind: 'refreshToken', ...identity, store },
        apiBaseUrl: endpoints.apiBaseUrl,
        authBaseUrl: endpoints.authBaseUrl,
        rateLimiter: limiterOf(tenant),
        // A local activity is a step answered from this process's cache: it must never reach Fortnox (its calls would
        // bypass the tenant's queue). Refusing here sends the step to its regular activity (activities/index.ts).
        guard: (request) => {
          if (currentActivity()?.info.isLocal === true) throw new FortnoxCallRefusedError(request, 'a step run from cache (local activity)');
        },
        signal: () => currentActivity()?.cancellationSignal,
      });
      clients.set(tenant, { settings: fingerprint, client });
      return client;
    },
  };
}

/** The activity this code runs in, if any (the Fortnox client is also used outside activities, e.g. by scripts). */
function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

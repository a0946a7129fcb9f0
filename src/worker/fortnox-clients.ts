import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FileTokenStore } from '../fortnox/auth/token-store.js';
import { createFortnoxClient, type FortnoxClient } from '../fortnox/client.js';
import { FortnoxCallRefusedError } from '../fortnox/errors.js';
import type { RateLimit } from '../fortnox/rate-limiter.js';
import type { TenantSettings } from '../config/tenants.js';
import { failureTypes } from '../transfer/index.js';

export interface FortnoxEndpoints {
  apiBaseUrl: string;
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * One Fortnox client per tenant for this process, made on first use and shared by every activity, so all of a
 * tenant's calls share its rate-limit budget and access token.
 */
export function fortnoxClients(tenants: Record<string, TenantSettings>, endpoints: FortnoxEndpoints & { rateLimit: RateLimit }, tokenDir: string): (tenant: string) => FortnoxClient {
  const clients = new Map<string, FortnoxClient>();
  const store = new FileTokenStore(tokenDir);
  return (tenant) => {
    const existing = clients.get(tenant);
    if (existing !== undefined) return existing;
    const settings = Object.hasOwn(tenants, tenant) ? tenants[tenant] : undefined;
    if (settings === undefined) {
      throw ApplicationFailure.create({
        type: failureTypes.needsAttention,
        nonRetryable: true,
        message: `Summa-företaget ${tenant} är inte kopplat till något Fortnox-företag — lägg till det i integrationens TENANTS_FILE och tryck Försök igen.`,
      });
    }
    const identity = { clientId: endpoints.clientId, clientSecret: endpoints.clientSecret };
    const client = createFortnoxClient({
      tenant,
      auth:
        settings.fortnox.auth === 'clientCredentials'
          ? { kind: 'clientCredentials', ...identity, tenantId: settings.fortnox.tenantId }
          : { kind: 'refreshToken', ...identity, store },
      apiBaseUrl: endpoints.apiBaseUrl,
      authBaseUrl: endpoints.authBaseUrl,
      rateLimit: endpoints.rateLimit,
      // A local activity is a step answered from this process's cache: it must never reach Fortnox (its calls would
      // bypass the tenant's queue). Refusing here sends the step to its regular activity (activities/index.ts).
      guard: (request) => {
        if (currentActivity()?.info.isLocal === true) throw new FortnoxCallRefusedError(request, 'a step run from cache (local activity)');
      },
      signal: () => currentActivity()?.cancellationSignal,
    });
    clients.set(tenant, client);
    return client;
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

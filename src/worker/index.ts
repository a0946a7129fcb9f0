import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { ConfigError, type Config } from '../config/env.js';
import { FORTNOX_RATE_LIMIT, type RateLimit } from '../fortnox/rate-limiter.js';
import { fortnoxClients, tokenDirectory, type FortnoxEndpoints } from './fortnox-clients.js';
import { createSummaCallbackClient } from '../summa/callback-client.js';
import type { TenantSettings } from '../config/tenants.js';
import { tenantCaches } from '../fortnox/tenant-cache.js';
import { DEFAULT_POSTING, summaSecretFor } from '../config/tenants.js';
import { createIntegrationWorkers, type IntegrationWorkers } from './workers.js';

export interface IntegrationSetup {
  config: Config;
  tenants: Record<string, TenantSettings>;
  fortnox: FortnoxEndpoints;
  summaUrl: string;
  /** Secret for tenants without their own. */
  summaSecret: string | undefined;
  connection: NativeConnection;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Payload and failure encryption (`payloadProtection(config)?.dataConverter`); default: in clear. */
  dataConverter?: WorkerOptions['dataConverter'];
}

/** The worker side of the integration, wired from configuration: Fortnox clients per tenant, Summa write-back. */
export function startWorkers(setup: IntegrationSetup): Promise<IntegrationWorkers> {
  const secretFor = summaSecretFor(setup.tenants, setup.summaSecret);
  return createIntegrationWorkers({
    connection: setup.connection,
    namespace: setup.config.TEMPORAL_NAMESPACE,
    taskQueue: setup.config.TASK_QUEUE,
    tenants: Object.keys(setup.tenants),
    deps: {
      fortnoxFor: fortnoxClients(setup.tenants, { ...setup.fortnox, rateLimit: processShare(setup.config) }, tokenDirectory(setup.config)),
      cacheFor: tenantCaches(),
      postingFor: (tenant) => (Object.hasOwn(setup.tenants, tenant) ? setup.tenants[tenant]?.posting : undefined) ?? DEFAULT_POSTING,
      summa: createSummaCallbackClient({
        baseUrl: setup.summaUrl,
        secretFor: (tenant) => {
          const secret = secretFor(tenant);
          if (secret === undefined) throw new Error(`no Summa secret configured for tenant ${tenant}`);
          return secret;
        },
      }),
    },
    fortnoxActivitiesPerSecond: setup.config.FORTNOX_ACTIVITIES_PER_SECOND,
    ...(setup.workflowBundle === undefined ? {} : { workflowBundle: setup.workflowBundle }),
    ...(setup.dataConverter === undefined ? {} : { dataConverter: setup.dataConverter }),
  });
}

/**
 * Fortnox and Summa endpoints for real use, from configuration; fails naming every missing setting.
 */
export function configuredEndpoints(config: Config, tenants: Record<string, TenantSettings>): { fortnox: FortnoxEndpoints; summaUrl: string } {
  const missing = [
    ...(config.FORTNOX_CLIENT_ID === undefined ? ['FORTNOX_CLIENT_ID'] : []),
    ...(config.FORTNOX_CLIENT_SECRET === undefined ? ['FORTNOX_CLIENT_SECRET'] : []),
    ...(config.SUMMA_URL === undefined ? ['SUMMA_URL'] : []),
    ...(config.SUMMA_SECRET === undefined && Object.values(tenants).some((tenant) => tenant.summaSecret === undefined)
      ? ['SUMMA_SECRET (or summaSecret for every tenant in TENANTS_FILE)']
      : []),
  ];
  if (missing.length > 0 || config.FORTNOX_CLIENT_ID === undefined || config.FORTNOX_CLIENT_SECRET === undefined || config.SUMMA_URL === undefined) {
    throw new ConfigError(`Real Fortnox needs these settings too: ${missing.join(', ')}.`);
  }
  return {
    fortnox: { apiBaseUrl: config.FORTNOX_API_URL, authBaseUrl: config.FORTNOX_AUTH_URL, clientId: config.FORTNOX_CLIENT_ID, clientSecret: config.FORTNOX_CLIENT_SECRET },
    summaUrl: config.SUMMA_URL,
  };
}

/**
 * This process's share of Fortnox's per-tenant limit. Fortnox counts every process of ours together, so N worker
 * processes each take 25/N requests per 5 s: exact, whatever the load, at the price of an idle process's unused
 * share.
 */
export function processShare(config: Config): RateLimit {
  return { requests: Math.floor(FORTNOX_RATE_LIMIT.requests / config.FORTNOX_WORKER_PROCESSES), windowMs: FORTNOX_RATE_LIMIT.windowMs };
}

import path from 'node:path';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { createActivities, createLegacyActivities, type ActivityDeps } from '../../activities/index.js';
import { ConfigError, type Config } from '../config/env.js';
import { DEFAULT_POSTING, summaSecretFor, type TenantRegistry, type TenantSettings } from '../config/tenants.js';
import { FORTNOX_RATE_LIMIT, type RateLimit } from '../fortnox/rate-limiter.js';
import { tenantCaches } from '../fortnox/tenant-cache.js';
import { BUILT_WORKFLOW_BUNDLE, compiled, moduleFile } from '../paths.js';
import { createSummaCallbackClient } from '../summa/callback-client.js';
import { fortnoxTaskQueue } from '../transfer/index.js';
import { joinFortnoxBudget } from './fortnox-budget.js';
import { fortnoxClients, type FortnoxEndpoints } from './fortnox-clients.js';

export type { FortnoxEndpoints } from './fortnox-clients.js';

/** Everything the worker side is built from. `workerSetup(config, …)` fills it from configuration. */
export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  /** The task queue of the workflows and their activities, every tenant's (each under its own fairness key). */
  taskQueue: string;
  /** The Summa companies served and how each reaches Fortnox, read at each use (the configuration may change). */
  tenants: TenantRegistry;
  fortnox: FortnoxEndpoints;
  /**
   * This process's client-side limit per tenant. `shared`: its share of Fortnox's 25 requests per 5 s, agreed with
   * every other worker process on the task queue (src/worker/fortnox-budget.ts); a fixed limit for the tests against
   * a sandbox without limits and for the benchmark's unthrottled run.
   */
  fortnoxRateLimit: RateLimit | 'shared';
  /** Where rotating refresh tokens are kept (refresh-token tenants). */
  tokenDir: string;
  summa: {
    url: string;
    /** The tenant's HMAC secret for the write-back, or undefined for a tenant without one. */
    secretFor: (tenant: string) => string | undefined;
  };
  /**
   * Dispatches of a tenant's Fortnox activities per second, for all worker processes together (the task queue's
   * per-fairness-key rate limit): keeps a tenant's backlog in Temporal, fairly queued, rather than in workers.
   */
  fortnoxActivitiesPerSecond: number;
  /** A prebuilt bundle (tests, production); default: bundle `workflows/` at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * Encrypts payloads and failures (`encryptingDataConverter`); default: Temporal's, in clear. A prebuilt bundle
   * must have been built with the same `failureConverterPath`.
   */
  dataConverter?: WorkerOptions['dataConverter'];
}

export interface IntegrationWorker {
  /** Resolves when every Temporal worker of it has stopped. */
  run(): Promise<void>;
  /** Stops polling, lets running activities finish (up to the grace time), then resolves `run()`; again is harmless. */
  shutdown(): void;
  /** Whether every Temporal worker of it polls (`RUNNING`): the process's health probe. */
  running(): boolean;
  /** Forgets what this process cached of every tenant's Fortnox data (after the data changed behind its back). */
  forgetFortnoxData(): void;
}

/**
 * The composition root of the worker side, and the only place that builds the activities' dependencies: a Fortnox
 * client per tenant (sharing its rate limit and token), a cache per tenant, the Summa write-back. One Temporal worker
 * runs the workflows and all their activities on one task queue; each tenant is a fairness key there, with a
 * per-key dispatch limit, so tenants are served in turn and a new tenant needs no new worker. Production
 * (`npm run worker`, `npm start`), the tests, the benchmark, the chaos run and `record-histories` all start the
 * worker through here.
 */
export async function createWorker(setup: WorkerSetup): Promise<IntegrationWorker> {
  const caches = tenantCaches();
  const shared = setup.fortnoxRateLimit === 'shared';
  // Shared: nothing may be sent before the coordinator has answered with this process's share.
  const limit = setup.fortnoxRateLimit === 'shared' ? { ...FORTNOX_RATE_LIMIT, requests: 0 } : setup.fortnoxRateLimit;
  const clients = fortnoxClients(() => setup.tenants.current(), setup.fortnox, limit, setup.tokenDir);
  const deps: ActivityDeps = {
    fortnoxFor: (tenant) => clients.clientFor(tenant),
    cacheFor: caches,
    postingFor: (tenant) => {
      const tenants = setup.tenants.current();
      return (Object.hasOwn(tenants, tenant) ? tenants[tenant]?.posting : undefined) ?? DEFAULT_POSTING;
    },
    summa: createSummaCallbackClient({
      baseUrl: setup.summa.url,
      secretFor: (tenant) => {
        const secret = setup.summa.secretFor(tenant);
        if (secret === undefined) throw new Error(`no Summa secret configured for tenant ${tenant}`);
        return secret;
      },
    }),
  };
  await limitDispatchPerTenant(setup);
  const common = {
    connection: setup.connection,
    namespace: setup.namespace,
    shutdownGraceTime: '10 seconds',
    ...(setup.dataConverter === undefined ? {} : { dataConverter: setup.dataConverter }),
  } as const;
  const workflowSource =
    setup.workflowBundle === undefined ? { workflowsPath: moduleFile('workflows/index') } : { workflowBundle: setup.workflowBundle };
  const activities = createActivities(deps);
  const legacy = (await legacyRunsOpen(setup)) ? createLegacyActivities(deps) : undefined;
  const budget = shared
    ? joinFortnoxBudget({
        connection: setup.connection,
        namespace: setup.namespace,
        taskQueue: setup.taskQueue,
        ...(setup.dataConverter === undefined ? {} : { dataConverter: setup.dataConverter }),
        onShare: (share) => clients.setRequestsPerWindow(share),
      })
    : undefined;
  const workers = [
    await Worker.create({ ...common, ...workflowSource, taskQueue: setup.taskQueue, activities }),
    // Transfers started before the five-step transfer schedule their Fortnox steps on a queue per tenant: served
    // while any of them is open at start-up, so they can finish.
    ...(legacy === undefined
      ? []
      : await Promise.all(
          Object.keys(setup.tenants.current()).map((tenant) =>
            Worker.create({ ...common, taskQueue: fortnoxTaskQueue(setup.taskQueue, tenant), activities: legacy, maxTaskQueueActivitiesPerSecond: setup.fortnoxActivitiesPerSecond }),
          ),
        )),
  ];
  return {
    run: async () => {
      try {
        await Promise.all(workers.map((worker) => worker.run()));
      } finally {
        // Every activity has finished, so this process makes no more Fortnox calls: its share can go.
        await budget?.leave();
      }
    },
    // The SDK begins shutting down on SIGINT/SIGTERM itself (Runtime's shutdownSignals); a worker it already stops
    // is left to finish draining rather than told twice (which throws).
    shutdown: () => workers.filter((worker) => worker.getState() === 'RUNNING').forEach((worker) => worker.shutdown()),
    running: () => workers.every((worker) => worker.getState() === 'RUNNING'),
    forgetFortnoxData: () => {
      for (const tenant of Object.keys(setup.tenants.current())) caches(tenant).invalidate();
    },
  };
}

const { TaskQueueType } = proto.temporal.api.enums.v1;

/**
 * Sets the task queue's per-fairness-key dispatch limit for activities: each tenant's Fortnox steps leave the queue
 * at most this often, whichever process polls. It paces dispatches, not HTTP calls (the Fortnox client's limiter
 * does that, exactly). A server without task-queue fairness refuses or ignores it; the workers then still keep
 * Fortnox's limit, only a tenant's backlog waits in the workers instead of in Temporal.
 */
async function limitDispatchPerTenant(setup: WorkerSetup): Promise<void> {
  try {
    await setup.connection.workflowService.updateTaskQueueConfig({
      namespace: setup.namespace,
      identity: 'summa-fortnox worker',
      taskQueue: setup.taskQueue,
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      updateFairnessKeyRateLimitDefault: { rateLimit: { requestsPerSecond: setup.fortnoxActivitiesPerSecond }, reason: "Fortnox's per-tenant request limit" },
    });
  } catch (error) {
    console.warn(`Temporal did not take the per-tenant dispatch limit for task queue ${setup.taskQueue} (${error instanceof Error ? error.message : String(error)}); enable task-queue fairness on the server (matching.enableFairness).`);
  }
}

/** Whether a transfer or export that started before the five-step transfer is still open (see src/transfer/versions.ts). */
async function legacyRunsOpen(setup: WorkerSetup): Promise<boolean> {
  const { count } = await setup.connection.workflowService.countWorkflowExecutions({
    namespace: setup.namespace,
    query: `ExecutionStatus = 'Running' AND TaskQueue = '${setup.taskQueue}' AND WorkflowType IN ('invoiceTransfer', 'invoiceExport') AND TemporalChangeVersion IS NULL`,
  });
  return Number(count ?? 0) > 0;
}

/** What configuration does not say: the connection, and the Fortnox and Summa endpoints (real or sandbox). */
export interface WorkerParts {
  connection: NativeConnection;
  tenants: TenantRegistry;
  fortnox: FortnoxEndpoints;
  summaUrl: string;
  /** The secret for tenants without their own; default SUMMA_SECRET. */
  summaSecret?: string | undefined;
  workflowBundle?: WorkerOptions['workflowBundle'];
  dataConverter?: WorkerOptions['dataConverter'];
  /** Replaces this process's shared part of Fortnox's limit with a fixed one (the benchmark's unthrottled run only). */
  fortnoxRateLimit?: RateLimit;
}

/** The worker setup configuration describes: task queue, namespace, token directory, limits, bundle. */
export function workerSetup(config: Config, parts: WorkerParts): WorkerSetup {
  // Compiled code (production, `node dist/…`) loads the bundle `npm run build` made; under tsx it bundles at start.
  const codePath = config.WORKFLOW_BUNDLE ?? (compiled ? BUILT_WORKFLOW_BUNDLE : undefined);
  const bundle = parts.workflowBundle ?? (codePath === undefined ? undefined : { codePath });
  return {
    connection: parts.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    tenants: parts.tenants,
    fortnox: parts.fortnox,
    fortnoxRateLimit: parts.fortnoxRateLimit ?? 'shared',
    tokenDir: tokenDirectory(config),
    summa: { url: parts.summaUrl, secretFor: summaSecretFor(parts.tenants, parts.summaSecret ?? config.SUMMA_SECRET) },
    fortnoxActivitiesPerSecond: config.FORTNOX_ACTIVITIES_PER_SECOND,
    ...(bundle === undefined ? {} : { workflowBundle: bundle }),
    ...(parts.dataConverter === undefined ? {} : { dataConverter: parts.dataConverter }),
  };
}

/** Where rotating Fortnox tokens are kept. */
export const tokenDirectory = (config: Config): string => config.FORTNOX_TOKEN_DIR ?? path.join(config.DATA_DIR, 'fortnox-tokens');

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

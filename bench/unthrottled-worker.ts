// The worker of `npm run worker` (src/cli/worker.ts), with one difference: the Fortnox client's own rate limit is
// lifted (BENCH_CLIENT_REQUESTS_PER_SECOND), which the product does not make configurable (startWorkers always
// gives the client its share of Fortnox's 25 per 5 s). For the benchmark's unthrottled scenario, which measures
// what the pipeline itself can do. It wires the same parts as startWorkers (src/integration.ts) from the same
// configuration; the type of ActivityDeps keeps the two in step.
import { fileURLToPath } from 'node:url';
import { NativeConnection } from '@temporalio/worker';
import { untilStopSignal } from '../src/cli/signals.js';
import { loadConfig } from '../src/config/env.js';
import { fortnoxClients, tokenDirectory } from '../src/worker/fortnox-clients.js';
import { configuredEndpoints } from '../src/worker/index.js';
import { createSummaCallbackClient } from '../src/summa/callback-client.js';
import { tenantCaches } from '../src/fortnox/tenant-cache.js';
import { DEFAULT_POSTING, loadTenants, summaSecretFor } from '../src/config/tenants.js';
import { createIntegrationWorkers } from '../src/worker/workers.js';

/** This file, for spawning it: `node --import tsx <UNTHROTTLED_WORKER_ENTRY>`. */
export const UNTHROTTLED_WORKER_ENTRY = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const config = loadConfig();
  const tenants = loadTenants(config);
  const endpoints = configuredEndpoints(config, tenants);
  const perSecond = Number(process.env.BENCH_CLIENT_REQUESTS_PER_SECOND ?? '1000000');
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}` });
  const secretFor = summaSecretFor(tenants, config.SUMMA_SECRET);
  const workers = await createIntegrationWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    tenants: Object.keys(tenants),
    deps: {
      fortnoxFor: fortnoxClients(tenants, { ...endpoints.fortnox, rateLimit: { requests: perSecond, windowMs: 1_000 } }, tokenDirectory(config)),
      cacheFor: tenantCaches(),
      postingFor: (tenant) => (Object.hasOwn(tenants, tenant) ? tenants[tenant]?.posting : undefined) ?? DEFAULT_POSTING,
      summa: createSummaCallbackClient({
        baseUrl: endpoints.summaUrl,
        secretFor: (tenant) => {
          const secret = secretFor(tenant);
          if (secret === undefined) throw new Error(`no Summa secret configured for tenant ${tenant}`);
          return secret;
        },
      }),
    },
    fortnoxActivitiesPerSecond: config.FORTNOX_ACTIVITIES_PER_SECOND,
    ...(config.WORKFLOW_BUNDLE === undefined ? {} : { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } }),
  });
  const running = workers.run();
  console.log(`Worker running for tenants ${Object.keys(tenants).join(', ')} on task queue ${config.TASK_QUEUE} (client limit ${perSecond}/s).`);
  await Promise.race([untilStopSignal(), running]);
  workers.shutdown();
  await running;
  await connection.close();
}

// Run only as the entry point; bench/stack.ts imports this module just for its path.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

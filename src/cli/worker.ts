// `npm run worker`: the integration's worker on its own, for production and for running several processes.
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config.js';
import { configuredEndpoints, startWorkers } from '../integration.js';
import { loadTenants } from '../tenants.js';
import { untilStopSignal } from './signals.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const tenants = loadTenants(config);
  const endpoints = configuredEndpoints(config, tenants);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}` });
  const workers = await startWorkers({
    config,
    tenants,
    ...endpoints,
    summaSecret: config.SUMMA_SECRET,
    connection,
    ...(config.WORKFLOW_BUNDLE === undefined ? {} : { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } }),
  });
  const running = workers.run();
  console.log(`Worker running for tenants ${Object.keys(tenants).join(', ')} on task queue ${config.TASK_QUEUE}.`);
  await Promise.race([untilStopSignal(), running]);
  workers.shutdown();
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

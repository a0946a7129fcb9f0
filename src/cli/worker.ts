// `npm run worker`: the integration's worker on its own, for production and for running several processes.
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/env.js';
import { configuredEndpoints, startWorkers } from '../worker/index.js';
import { describeForLog } from '../log/redact.js';
import { configuredSecrets, installRedactingRuntime } from '../log/runtime.js';
import { payloadProtection, UNENCRYPTED_WARNING } from '../temporal/data-converter.js';
import { loadTenants } from '../config/tenants.js';
import { untilStopSignal } from './signals.js';

/** Secret values that logs must mask. */
const secrets: string[] = [];

async function main(): Promise<void> {
  const config = loadConfig();
  const tenants = loadTenants(config);
  const endpoints = configuredEndpoints(config, tenants);
  const protection = payloadProtection(config);
  secrets.push(...configuredSecrets(config, tenants, protection?.keys));
  installRedactingRuntime(secrets);
  if (protection === undefined) console.warn(UNENCRYPTED_WARNING);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}` });
  const workers = await startWorkers({
    config,
    tenants,
    ...endpoints,
    summaSecret: config.SUMMA_SECRET,
    connection,
    ...(config.WORKFLOW_BUNDLE === undefined ? {} : { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } }),
    ...(protection === undefined ? {} : { dataConverter: protection.dataConverter }),
  });
  const running = workers.run();
  console.log(`Worker running for tenants ${Object.keys(tenants).join(', ')} on task queue ${config.TASK_QUEUE}.`);
  await Promise.race([untilStopSignal(), running]);
  workers.shutdown();
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(describeForLog(error, secrets));
  process.exit(1);
});

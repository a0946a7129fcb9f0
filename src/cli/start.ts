// `npm start`: runs the whole integration. On embedded defaults that is the Temporal dev server with its Web UI
// (state under DATA_DIR), a local Fortnox and Summa (no Fortnox credentials configured), the worker and the hook
// server. With TEMPORAL_ADDRESS set it uses that Temporal; with FORTNOX_CLIENT_ID set, real Fortnox.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createTransferService } from '../client.js';
import { loadConfig, type Config } from '../config.js';
import type { FortnoxEndpoints } from '../fortnox-clients.js';
import { createHookServer } from '../hook/server.js';
import { configuredEndpoints, startWorkers } from '../integration.js';
import { SANDBOX_CLIENT, startFortnoxSandbox } from '../sandbox/fortnox/index.js';
import { startSummaSandbox } from '../sandbox/summa/index.js';
import { requireTemporalCli } from '../temporal/cli.js';
import { startDevServer } from '../temporal/dev-server.js';
import { DEMO_SUMMA_SECRET, loadTenants, summaSecretFor, type TenantSettings } from '../tenants.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { untilStopSignal } from './signals.js';

/** Everything started, in start order; stopped in reverse. */
const running: { name: string; stop: () => Promise<void> | void }[] = [];

async function startTemporal(config: Config): Promise<string> {
  if (config.TEMPORAL_ADDRESS !== undefined) {
    console.log(`Temporal:        ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}; TEMPORAL_ADDRESS is set, no dev server started)`);
    return config.TEMPORAL_ADDRESS;
  }
  const cli = requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH });
  mkdirSync(config.DATA_DIR, { recursive: true });
  const server = await startDevServer({
    cli,
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    dbFile: path.join(config.DATA_DIR, 'temporal.db'),
    namespace: config.TEMPORAL_NAMESPACE,
    searchAttributes,
  });
  running.push({ name: 'Temporal dev server', stop: () => server.stop() });
  console.log(`Temporal:        ${server.address} (namespace ${config.TEMPORAL_NAMESPACE}, state in ${config.DATA_DIR}/)`);
  console.log(`Temporal Web UI: ${server.uiUrl ?? '(off)'}`);
  return server.address;
}

/** Demo mode: a local Fortnox and, unless SUMMA_URL is set, a local Summa. */
async function startSandboxes(config: Config, tenants: Record<string, TenantSettings>, secretFor: (tenant: string) => string | undefined) {
  const tenantIds = Object.values(tenants).flatMap((tenant) => (tenant.fortnox.auth === 'clientCredentials' ? [tenant.fortnox.tenantId] : []));
  const fortnox = await startFortnoxSandbox({ port: config.FORTNOX_SANDBOX_PORT, tenants: tenantIds.length > 0 ? tenantIds : ['1'] });
  running.push({ name: 'Fortnox sandbox', stop: () => fortnox.close() });
  console.log(`Fortnox sandbox: ${fortnox.url} (no FORTNOX_CLIENT_ID set; state at ${fortnox.url}/sandbox/state?tenant=${tenantIds[0] ?? '1'})`);
  let summaUrl = config.SUMMA_URL;
  if (summaUrl === undefined) {
    const summa = await startSummaSandbox({ port: config.SUMMA_SANDBOX_PORT, secretFor });
    running.push({ name: 'Summa sandbox', stop: () => summa.close() });
    summaUrl = summa.url;
    console.log(`Summa sandbox:   ${summa.url} (write-backs at ${summa.url}/sandbox/state)`);
  }
  const endpoints: FortnoxEndpoints = { apiBaseUrl: fortnox.url, authBaseUrl: `${fortnox.url}/oauth-v1`, ...SANDBOX_CLIENT };
  return { fortnox: endpoints, summaUrl };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const tenants = loadTenants(config);
  const demo = config.FORTNOX_CLIENT_ID === undefined;
  const summaSecret = config.SUMMA_SECRET ?? (demo ? DEMO_SUMMA_SECRET : undefined);
  const secretFor = summaSecretFor(tenants, summaSecret);
  const endpoints = demo ? undefined : configuredEndpoints(config, tenants);

  const address = await startTemporal(config);
  const { fortnox, summaUrl } = endpoints ?? (await startSandboxes(config, tenants, secretFor));

  const nativeConnection = await NativeConnection.connect({ address });
  running.push({ name: 'worker connection', stop: () => nativeConnection.close() });
  const workers = await startWorkers({ config, tenants, fortnox, summaUrl, summaSecret, connection: nativeConnection });
  const workersDone = workers.run();
  running.push({ name: 'worker', stop: async () => (workers.shutdown(), await workersDone) });

  const connection = await Connection.connect({ address });
  running.push({ name: 'client connection', stop: () => connection.close() });
  const transfers = createTransferService({ client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), taskQueue: config.TASK_QUEUE });
  const hook = await createHookServer({ transfers, secretFor, host: config.HOOK_HOST, port: config.HOOK_PORT, maxBodyBytes: config.HOOK_MAX_BODY_BYTES });
  running.push({ name: 'hook server', stop: () => hook.close() });
  console.log(`Hook server:     ${hook.url}/hooks/summa/invoices (tenants: ${Object.keys(tenants).join(', ')})`);
  console.log(`Worker:          task queue ${config.TASK_QUEUE}`);
  console.log(`\nSend the bundled example invoice:\n  npm run cli -- transfer examples/invoice-simple.json\n`);
  console.log('Press Ctrl-C to stop.');

  const signal = await Promise.race([untilStopSignal(), workersDone.then(() => 'worker stopped' as const)]);
  console.log(`\n${signal}: stopping …`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const { name, stop } of running.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`stopping ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (process.exitCode !== 1) console.log('Stopped.');
    process.exit();
  });

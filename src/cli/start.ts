// `npm start`: runs the whole integration. On embedded defaults that is the Temporal dev server with its Web UI
// (state under DATA_DIR), a local Fortnox and Summa (no Fortnox credentials configured), the worker and the hook
// server. With TEMPORAL_ADDRESS set it uses that Temporal; with FORTNOX_CLIENT_ID set, real Fortnox.
// Payloads are encrypted whenever a key is configured; in demo mode a key file is created under DATA_DIR, and
// the codec server lets the Web UI show the invoices decrypted.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createTransferService } from '../client/transfer-service.js';
import { startCodecServer, type CodecServer } from '../codec/codec-server.js';
import { EncryptionCodec } from '../codec/encryption-codec.js';
import { loadConfig, type Config } from '../config/env.js';
import type { FortnoxEndpoints } from '../worker/fortnox-clients.js';
import { createHookServer } from '../hook/server.js';
import { temporalAnswers } from '../hook/process.js';
import { configuredEndpoints, createWorker, workerSetup } from '../worker/index.js';
import { SANDBOX_CLIENT, startFortnoxSandbox } from '../sandbox/fortnox/index.js';
import { startSummaSandbox } from '../sandbox/summa/index.js';
import { requireTemporalCli } from '../temporal/cli.js';
import { payloadProtection, type PayloadProtection } from '../temporal/data-converter.js';
import { startDevServer } from '../temporal/dev-server.js';
import { temporalTarget, type TemporalTarget } from '../temporal/connection.js';
import { describeForLog } from '../log/redact.js';
import { installProcessLogging } from '../log/runtime.js';
import { DEMO_SUMMA_SECRET, summaSecretFor, watchTenants, type TenantSettings } from '../config/tenants.js';
import { searchAttributes } from '../transfer/index.js';
import { untilStopSignal } from './signals.js';

/** Everything started, in start order; stopped in reverse. */
const running: { name: string; stop: () => Promise<void> | void }[] = [];
/** Secret values that logs must mask; filled as they become known. */
const secrets: string[] = [];

/** The codec server for the Web UI, started before the dev server so the UI can be pointed at it. */
async function startCodec(config: Config, protection: PayloadProtection): Promise<CodecServer> {
  const token = config.CODEC_SERVER_TOKEN ?? randomBytes(24).toString('base64url');
  secrets.push(token);
  const allowedOrigins = config.CODEC_SERVER_UI_ORIGINS ?? [
    `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
    `http://localhost:${config.TEMPORAL_UI_PORT}`,
  ];
  const codec = await startCodecServer({
    codec: new EncryptionCodec(protection.keys),
    token,
    allowedOrigins,
    host: config.CODEC_SERVER_HOST,
    // The dev server's UI is handed the endpoint, so any free port serves it; an external UI needs a fixed one.
    port: config.CODEC_SERVER_PORT ?? (config.TEMPORAL_ADDRESS === undefined ? 0 : 8788),
  });
  running.push({ name: 'codec server', stop: () => codec.close() });
  const keySource = `${protection.source}${protection.created ? ', created now' : ''}`;
  console.log(`Codec server:    ${codec.url} (payloads encrypted with key ${protection.keys[0].id} from ${keySource}; answers ${allowedOrigins.join(', ')})`);
  if (config.CODEC_SERVER_TOKEN === undefined) console.log(`                 token ${token} (new at every start; set CODEC_SERVER_TOKEN to keep one)`);
  if (config.TEMPORAL_ADDRESS !== undefined) {
    console.log(`                 set your Web UI's codec endpoint to ${codec.url}/<token>, and CODEC_SERVER_UI_ORIGINS to its origin`);
  }
  return codec;
}

/** Temporal as configured (TEMPORAL_ADDRESS set: Temporal's own settings, TLS and API key included), else a dev server of our own. */
async function startTemporal(config: Config, uiCodecEndpoint: string | undefined): Promise<TemporalTarget> {
  if (config.TEMPORAL_ADDRESS !== undefined) {
    const target = temporalTarget(config);
    console.log(`Temporal:        ${target.address} (namespace ${target.namespace}${target.tls ? ', TLS' : ''}; TEMPORAL_ADDRESS is set, no dev server started)`);
    return target;
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
    uiCodecEndpoint,
  });
  running.push({ name: 'Temporal dev server', stop: () => server.stop() });
  console.log(`Temporal:        ${server.address} (namespace ${config.TEMPORAL_NAMESPACE}, state in ${config.DATA_DIR}/)`);
  console.log(`Temporal Web UI: ${server.uiUrl ?? '(off)'}`);
  return { address: server.address, namespace: config.TEMPORAL_NAMESPACE, tls: false, connection: { address: server.address } };
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
  const tenants = watchTenants(config);
  running.push({ name: 'tenants file watch', stop: () => tenants.close() });
  const demo = config.FORTNOX_CLIENT_ID === undefined;
  const summaSecret = config.SUMMA_SECRET ?? (demo ? DEMO_SUMMA_SECRET : undefined);
  const secretFor = summaSecretFor(tenants, summaSecret);
  const endpoints = demo ? undefined : configuredEndpoints(config, tenants.current());
  // Demo mode gets a key of its own (DATA_DIR/payload-keys.json, 0600), so even the demo keeps histories encrypted.
  const protection = payloadProtection(config, { createDefaultKeyFile: demo });
  // The terminal shows the summary block and what goes wrong; the worker's whole log is in DATA_DIR/worker.log.
  mkdirSync(config.DATA_DIR, { recursive: true });
  const workerLog = path.join(config.DATA_DIR, 'worker.log');
  installProcessLogging(secrets, config, tenants.current(), protection, { file: workerLog });
  const dataConverter = protection?.dataConverter;

  const codec = protection === undefined ? undefined : await startCodec(config, protection);
  const temporal = await startTemporal(config, codec?.uiEndpoint);
  const { fortnox, summaUrl } = endpoints ?? (await startSandboxes(config, tenants.current(), secretFor));

  const nativeConnection = await NativeConnection.connect(temporal.connection);
  running.push({ name: 'worker connection', stop: () => nativeConnection.close() });
  const worker = await createWorker(
    workerSetup({ ...config, TEMPORAL_NAMESPACE: temporal.namespace }, { connection: nativeConnection, tenants, fortnox, summaUrl, summaSecret, ...(dataConverter === undefined ? {} : { dataConverter }) }),
  );
  const workersDone = worker.run();
  running.push({
    name: 'worker',
    stop: async () => {
      // The SDK may have begun shutting down on the same Ctrl-C already; either way, wait until it has drained.
      worker.shutdown();
      await workersDone;
    },
  });

  const connection = await Connection.connect(temporal.connection);
  running.push({ name: 'client connection', stop: () => connection.close() });
  const client = new Client({ connection, namespace: temporal.namespace, ...(dataConverter === undefined ? {} : { dataConverter }) });
  const transfers = createTransferService({ client, taskQueue: config.TASK_QUEUE });
  const hook = await createHookServer({ transfers, secretFor, host: config.HOOK_HOST, port: config.HOOK_PORT, maxBodyBytes: config.HOOK_MAX_BODY_BYTES, health: temporalAnswers(connection) });
  running.push({ name: 'hook server', stop: () => hook.close() });
  console.log(`Hook server:     ${hook.url}/hooks/summa/invoices (tenants: ${Object.keys(tenants.current()).join(', ')})`);
  console.log(`Worker:          task queue ${config.TASK_QUEUE} (log ${workerLog}; LOG_LEVEL=${config.LOG_LEVEL} here)`);
  console.log(`\nSend the bundled example invoice:\n  npm run cli -- transfer examples/invoice-simple.json\n`);
  console.log('Press Ctrl-C to stop.');

  const signal = await Promise.race([untilStopSignal(), workersDone.then(() => 'worker stopped' as const)]);
  console.log(`\n${signal}: stopping …`);
}

main()
  .catch((error: unknown) => {
    console.error(describeForLog(error, secrets));
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const { name, stop } of running.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`stopping ${name}: ${describeForLog(error, secrets)}`);
      }
    }
    if (process.exitCode !== 1) console.log('Stopped.');
    process.exit();
  });

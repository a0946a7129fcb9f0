import { Client, Connection } from '@temporalio/client';
import { untilStopSignal } from '../cli/signals.js';
import { createTransferService } from '../client/transfer-service.js';
import { loadConfig } from '../config/env.js';
import { summaSecretFor, watchTenants } from '../config/tenants.js';
import { describeForLog } from '../log/redact.js';
import { installProcessLogging } from '../log/runtime.js';
import { payloadProtection } from '../temporal/data-converter.js';
import { temporalTarget } from '../temporal/connection.js';
import { processMetrics } from '../metrics/server.js';
import { createHookServer } from './server.js';

/** The hook's health: whether Temporal's frontend answers (the hook can start nothing without it). */
export function temporalAnswers(connection: Connection): () => Promise<boolean> {
  return () =>
    connection.workflowService.getSystemInfo({}).then(
      () => true,
      () => false,
    );
}

/**
 * Summa's hook as a process of its own, configured from the environment: what `npm run hook` runs in production,
 * any number of them behind a TLS-terminating proxy, beside `npm run worker`. It starts transfers through Temporal
 * and never calls Fortnox. Stops on SIGINT/SIGTERM, letting requests in flight finish.
 */
export async function runHookProcess(): Promise<void> {
  const secrets: string[] = [];
  try {
    const config = loadConfig();
    const tenants = watchTenants(config);
    if (config.SUMMA_SECRET === undefined && Object.values(tenants.current()).some((tenant) => tenant.summaSecret === undefined)) {
      throw new Error('SUMMA_SECRET is not set, and not every tenant in TENANTS_FILE has its own summaSecret: set SUMMA_SECRET (at least 16 characters) or give each tenant one.');
    }
    const protection = payloadProtection(config);
    const metricsPort = await processMetrics(config);
    installProcessLogging(secrets, config, tenants.current(), protection, { metricsAddress: metricsPort.runtimeAddress });
    const target = temporalTarget(config);
    const connection = await Connection.connect(target.connection);
    const client = new Client({ connection, namespace: target.namespace, ...(protection === undefined ? {} : { dataConverter: protection.dataConverter }) });
    const health = temporalAnswers(connection);
    const hook = await createHookServer({
      transfers: createTransferService({ client, taskQueue: config.TASK_QUEUE }),
      secretFor: summaSecretFor(tenants, config.SUMMA_SECRET),
      host: config.HOOK_HOST,
      port: config.HOOK_PORT,
      maxBodyBytes: config.HOOK_MAX_BODY_BYTES,
      health,
    });
    const metrics = await metricsPort.serve(health);
    console.log(`Hook server ${hook.url}/hooks/summa/invoices (tenants: ${Object.keys(tenants.current()).join(', ')}; health at ${hook.url}/healthz), task queue ${config.TASK_QUEUE}${metrics === undefined ? '' : `; metrics at ${metrics.url}/metrics`}.`);
    const signal = await untilStopSignal();
    console.log(`${signal}: stopping …`);
    await hook.close();
    await metrics?.close();
    tenants.close();
    await connection.close();
    console.log('Stopped.');
    process.exit(0);
  } catch (error) {
    console.error(describeForLog(error, secrets));
    process.exit(1);
  }
}

import { NativeConnection } from '@temporalio/worker';
import { untilStopSignal } from '../cli/signals.js';
import { loadConfig } from '../config/env.js';
import { watchTenants } from '../config/tenants.js';
import type { RateLimit } from '../fortnox/rate-limiter.js';
import { describeForLog } from '../log/redact.js';
import { installProcessLogging } from '../log/runtime.js';
import { payloadProtection } from '../temporal/data-converter.js';
import { temporalTarget } from '../temporal/connection.js';
import { processMetrics } from '../metrics/server.js';
import { configuredEndpoints, createWorker, workerSetup } from './index.js';

/** What a worker process sends its parent (over the IPC channel, when it was started with one) once it polls. */
export interface WorkerReadyMessage {
  type: 'summa-fortnox-worker-ready';
  tenants: string[];
  taskQueue: string;
}

/**
 * The worker as a process of its own, configured from the environment: what `npm run worker` runs in production.
 * Stops on SIGINT/SIGTERM after running activities finish. A parent that spawned it with an IPC channel is told
 * when it runs (`WorkerReadyMessage`), so nobody has to read its log to know.
 */
export async function runWorkerProcess(overrides: { fortnoxRateLimit?: RateLimit; banner?: string } = {}): Promise<void> {
  /** Secret values that logs must mask. */
  const secrets: string[] = [];
  try {
    const config = loadConfig();
    // TENANTS_FILE is read again when it changes (or on SIGHUP): a new print shop is served without a restart.
    const tenants = watchTenants(config);
    const endpoints = configuredEndpoints(config, tenants.current());
    const protection = payloadProtection(config);
    const metricsPort = await processMetrics(config);
    installProcessLogging(secrets, config, tenants.current(), protection, { metricsAddress: metricsPort.runtimeAddress });
    const target = temporalTarget(config);
    const connection = await NativeConnection.connect(target.connection);
    const worker = await createWorker(
      workerSetup({ ...config, TEMPORAL_NAMESPACE: target.namespace }, {
        connection,
        tenants,
        ...endpoints,
        ...(protection === undefined ? {} : { dataConverter: protection.dataConverter }),
        ...(overrides.fortnoxRateLimit === undefined ? {} : { fortnoxRateLimit: overrides.fortnoxRateLimit }),
      }),
    );
    const running = worker.run();
    const metrics = await metricsPort.serve(() => worker.running());
    console.log(
      `Worker running for tenants ${Object.keys(tenants.current()).join(', ')} on task queue ${config.TASK_QUEUE}${overrides.banner ?? ''}${metrics === undefined ? '' : `; metrics at ${metrics.url}/metrics, health at ${metrics.url}/healthz`}.`,
    );
    const ready: WorkerReadyMessage = { type: 'summa-fortnox-worker-ready', tenants: Object.keys(tenants.current()), taskQueue: config.TASK_QUEUE };
    process.send?.(ready);
    await Promise.race([untilStopSignal(), running]);
    worker.shutdown();
    await running;
    await metrics?.close();
    tenants.close();
    await connection.close();
  } catch (error) {
    console.error(describeForLog(error, secrets));
    process.exit(1);
  }
}

// One scenario's whole integration on real parts: its own in-memory Temporal dev server, the Fortnox and Summa
// sandboxes, the worker as a separate process (so its CPU and memory can be read by pid), and the Temporal client
// with the transfer service — optionally the signed hook server in front of it. Everything on 127.0.0.1.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createTransferService } from '../src/client/transfer-service.js';
import { loadConfig } from '../src/config/env.js';
import { createHookServer, type HookServer } from '../src/hook/server.js';
import { startFortnoxSandbox, type FortnoxSandbox } from '../src/sandbox/fortnox/index.js';
import { startSummaSandbox, type SummaSandbox } from '../src/sandbox/summa/index.js';
import { requireTemporalCli } from '../src/temporal/cli.js';
import { startDevServer, type DevServer } from '../src/temporal/dev-server.js';
import { type TransferService, searchAttributes } from '../src/transfer/index.js';
import { UNTHROTTLED_WORKER_ENTRY } from './unthrottled-worker.js';
import { freePort } from '../src/http/free-port.js';
import { killOnExit, PRODUCT_WORKER_ENTRY, serviceAccounts, startWorkerProcess, workerEnvironment } from '../src/testkit/worker-process.js';

export const BENCH_SECRET = 'bench-summa-secret-0123456789';
export const TASK_QUEUE = 'summa-fortnox-bench';

export interface StackOptions {
  /** Summa tenant key → Fortnox TenantId (digits). */
  tenants: Record<string, string>;
  /** Fortnox's limit in the sandbox (25 per 5 s per tenant), or none. */
  fortnoxLimit: boolean;
  /** `product`: src/cli/worker.ts as `npm run worker` runs it; `unthrottled`: bench/unthrottled-worker.ts. */
  worker: 'product' | 'unthrottled';
  /** Extra environment for the worker (FORTNOX_ACTIVITIES_PER_SECOND for the unthrottled run). */
  workerEnv?: Record<string, string>;
  /** The prebuilt workflow bundle. */
  bundlePath: string;
  hook?: boolean;
  /** Worker processes serving the same tenants (they split Fortnox's limit between them); default 1. */
  workers?: number;
}

export interface Stack {
  temporal: DevServer;
  fortnox: FortnoxSandbox;
  summa: SummaSandbox;
  /** The first worker process. */
  worker: ChildProcess & { pid: number };
  /** Every worker process. */
  workers: (ChildProcess & { pid: number })[];
  client: Client;
  service: TransferService;
  hook: HookServer | undefined;
  /** The last lines the worker printed. */
  workerOutput(): string;
  stop(): Promise<void>;
}

/** Starts everything; on any failure stops what had started. `stop()` stops it all, in reverse order. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const undo: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of undo.reverse()) await step().catch((error: unknown) => console.error('bench: stopping failed:', error));
    undo.length = 0;
  };
  try {
    const config = loadConfig();
    const temporal = await startDevServer({
      cli: requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH }),
      port: await freePort(),
      namespace: 'default',
      searchAttributes,
    });
    const forgetTemporal = killOnExit(temporal.pid);
    undo.push(async () => {
      await temporal.stop();
      forgetTemporal();
    });

    const fortnox = await startFortnoxSandbox({
      rateLimit: options.fortnoxLimit ? { requests: 25, windowMs: 5_000 } : false,
      tenants: Object.values(options.tenants),
    });
    undo.push(() => fortnox.close());
    const summa = await startSummaSandbox({ secretFor: (tenant) => (Object.hasOwn(options.tenants, tenant) ? BENCH_SECRET : undefined) });
    undo.push(() => summa.close());

    const dir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-bench-'));
    undo.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const env = workerEnvironment({
      temporalAddress: temporal.address,
      taskQueue: TASK_QUEUE,
      bundlePath: options.bundlePath,
      fortnoxUrl: fortnox.url,
      summaUrl: summa.url,
      summaSecret: BENCH_SECRET,
      tenants: serviceAccounts(options.tenants),
      dataDir: dir,
    });
    const workers: Awaited<ReturnType<typeof startWorkerProcess>>[] = [];
    for (let index = 0; index < (options.workers ?? 1); index += 1) {
      const worker = await startWorkerProcess({ ...env, ...options.workerEnv }, options.worker === 'product' ? PRODUCT_WORKER_ENTRY : UNTHROTTLED_WORKER_ENTRY);
      undo.push(() => worker.stop());
      workers.push(worker);
    }
    const worker = workers[0]!;

    const connection = await Connection.connect({ address: temporal.address });
    undo.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const service = createTransferService({ client, taskQueue: TASK_QUEUE });
    let hook: HookServer | undefined;
    if (options.hook === true) {
      hook = await createHookServer({
        transfers: service,
        secretFor: (tenant) => (Object.hasOwn(options.tenants, tenant) ? BENCH_SECRET : undefined),
      });
      const started = hook;
      undo.push(() => started.close());
    }
    return { temporal, fortnox, summa, worker: worker.child, workers: workers.map((each) => each.child), client, service, hook, workerOutput: () => workers.map((each) => each.output()).join('\n'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

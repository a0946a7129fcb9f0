// One scenario's whole integration on real parts: its own in-memory Temporal dev server, the Fortnox and Summa
// sandboxes, the worker as a separate process (so its CPU and memory can be read by pid), and the Temporal client
// with the transfer service — optionally the signed hook server in front of it. Everything on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createTransferService } from '../src/client.js';
import { loadConfig } from '../src/config.js';
import { createHookServer, type HookServer } from '../src/hook/server.js';
import { projectRoot } from '../src/paths.js';
import { SANDBOX_CLIENT, startFortnoxSandbox, type FortnoxSandbox } from '../src/sandbox/fortnox/index.js';
import { startSummaSandbox, type SummaSandbox } from '../src/sandbox/summa/index.js';
import { requireTemporalCli } from '../src/temporal/cli.js';
import { startDevServer, type DevServer } from '../src/temporal/dev-server.js';
import type { TransferService } from '../src/transfer-service.js';
import { searchAttributes } from '../workflows/search-attributes.js';
import { UNTHROTTLED_WORKER_ENTRY } from './unthrottled-worker.js';
import { freePort } from '../src/http/free-port.js';

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
}

export interface Stack {
  temporal: DevServer;
  fortnox: FortnoxSandbox;
  summa: SummaSandbox;
  worker: ChildProcess & { pid: number };
  client: Client;
  service: TransferService;
  hook: HookServer | undefined;
  /** The last lines the worker printed. */
  workerOutput(): string;
  stop(): Promise<void>;
}

/** Child processes still running, killed if the benchmark itself dies. */
const children = new Set<number>();
process.once('exit', () => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited(child);
    clearTimeout(timer);
  }
  if (child.pid !== undefined) children.delete(child.pid);
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
    children.add(temporal.pid);
    undo.push(async () => {
      await temporal.stop();
      children.delete(temporal.pid);
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
    const tenantsFile = path.join(dir, 'tenants.json');
    writeFileSync(
      tenantsFile,
      JSON.stringify(Object.fromEntries(Object.entries(options.tenants).map(([tenant, tenantId]) => [tenant, { fortnox: { auth: 'clientCredentials', tenantId } }]))),
    );
    const entry = options.worker === 'product' ? path.join(projectRoot, 'src', 'cli', 'worker.ts') : UNTHROTTLED_WORKER_ENTRY;
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: 'default',
        TASK_QUEUE,
        WORKFLOW_BUNDLE: options.bundlePath,
        FORTNOX_API_URL: fortnox.url,
        FORTNOX_AUTH_URL: `${fortnox.url}/oauth-v1`,
        FORTNOX_CLIENT_ID: SANDBOX_CLIENT.clientId,
        FORTNOX_CLIENT_SECRET: SANDBOX_CLIENT.clientSecret,
        TENANTS_FILE: tenantsFile,
        SUMMA_URL: summa.url,
        SUMMA_SECRET: BENCH_SECRET,
        DATA_DIR: dir,
        ...options.workerEnv,
      },
    });
    if (child.pid === undefined) throw new Error('the worker process did not start');
    children.add(child.pid);
    undo.push(() => stopChild(child));
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker did not start within 60 s:\n${output}`)), 60_000);
      const check = () => {
        if (output.includes('Worker running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited (${code ?? 'signal'}) before it ran:\n${output}`));
      });
    });

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
    return { temporal, fortnox, summa, worker: child as ChildProcess & { pid: number }, client, service, hook, workerOutput: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// The worker as its own process, as `npm run worker` runs it in production: so the benchmark can read its CPU and
// memory by pid, the chaos run and the tests can SIGKILL it and start it again, and tests can run two.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import { SANDBOX_CLIENT } from '../sandbox/fortnox/index.js';
import type { TenantSettings } from '../config/tenants.js';
import type { WorkerReadyMessage } from '../worker/process.js';

export const PRODUCT_WORKER_ENTRY = path.join(projectRoot, 'src', 'cli', 'worker.ts');

export interface WorkerProcess {
  child: ChildProcess & { pid: number };
  /** The last lines the worker printed. */
  output(): string;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM killer would; resolves once it has exited. */
  kill(): Promise<void>;
  /** The TENANTS_FILE it reads (and reads again when it changes), if any. */
  tenantsFile: string | undefined;
}

export interface WorkerSetup {
  temporalAddress: string;
  /** Default `default`. */
  namespace?: string;
  taskQueue: string;
  bundlePath: string;
  fortnoxUrl: string;
  summaUrl: string;
  summaSecret: string;
  /** Summa tenant key → how the worker reaches its Fortnox company (TENANTS_FILE's `fortnox`). */
  tenants: Record<string, TenantSettings['fortnox']>;
  /** Where the worker keeps its files (the tenants file is written here). */
  dataDir: string;
}

/** Summa tenant key → Fortnox TenantId, each on client credentials (a service account). */
export function serviceAccounts(tenantIds: Record<string, string>): Record<string, TenantSettings['fortnox']> {
  return Object.fromEntries(Object.entries(tenantIds).map(([tenant, tenantId]) => [tenant, { auth: 'clientCredentials', tenantId }]));
}

/** Writes a TENANTS_FILE naming how each tenant reaches Fortnox (posting options left at their defaults). */
export function writeTenantsFile(file: string, tenants: WorkerSetup['tenants']): void {
  writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(tenants).map(([tenant, fortnox]) => [tenant, { fortnox }]))));
}

/** The environment `npm run worker` needs to serve these tenants against the sandboxes. */
export function workerEnvironment(setup: WorkerSetup): Record<string, string> {
  const tenantsFile = path.join(setup.dataDir, 'tenants.json');
  writeTenantsFile(tenantsFile, setup.tenants);
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    TEMPORAL_ADDRESS: setup.temporalAddress,
    TEMPORAL_NAMESPACE: setup.namespace ?? 'default',
    TASK_QUEUE: setup.taskQueue,
    WORKFLOW_BUNDLE: setup.bundlePath,
    FORTNOX_API_URL: setup.fortnoxUrl,
    FORTNOX_AUTH_URL: `${setup.fortnoxUrl}/oauth-v1`,
    FORTNOX_CLIENT_ID: SANDBOX_CLIENT.clientId,
    FORTNOX_CLIENT_SECRET: SANDBOX_CLIENT.clientSecret,
    TENANTS_FILE: tenantsFile,
    SUMMA_URL: setup.summaUrl,
    SUMMA_SECRET: setup.summaSecret,
    DATA_DIR: setup.dataDir,
  };
}

/** Child processes still running, killed if the script itself dies. */
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

/** Makes sure `pid` dies with this process; call the returned function once it has exited. */
export function killOnExit(pid: number): () => void {
  children.add(pid);
  return () => children.delete(pid);
}

/**
 * Starts the worker and resolves once it is running (60 s at most): the worker process tells its parent over the
 * IPC channel (`WorkerReadyMessage`, sent by src/worker/process.ts), not in its log.
 */
export async function startWorkerProcess(env: Record<string, string>, entry: string = PRODUCT_WORKER_ENTRY): Promise<WorkerProcess> {
  // A compiled entry (dist/…/worker.js) runs as production runs it: plain node, from its own project folder.
  const compiledEntry = entry.endsWith('.js');
  const child = spawn(process.execPath, compiledEntry ? [entry] : ['--import', 'tsx', entry], {
    cwd: compiledEntry ? path.resolve(path.dirname(entry), '..', '..', '..') : projectRoot,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env,
  });
  if (child.pid === undefined) throw new Error('the worker process did not start');
  const forget = killOnExit(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(forget);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const worker: WorkerProcess = {
    child: child as ChildProcess & { pid: number },
    tenantsFile: env.TENANTS_FILE,
    output: () => output,
    exited,
    stop: async () => {
      if (ended()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      if (!ended()) child.kill('SIGKILL');
      await exited;
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within 60 s:\n${output}`)), 60_000);
    const onMessage = (message: unknown) => {
      if ((message as Partial<WorkerReadyMessage> | null)?.type !== 'summa-fortnox-worker-ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      // The channel has done its job; left open it would keep this process alive.
      child.disconnect();
      resolve();
    };
    child.on('message', onMessage);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${child.exitCode ?? child.signalCode ?? '?'}) before it ran:\n${output}`));
    });
  });
  return worker;
}

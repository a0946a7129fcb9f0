import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';

export interface DevServerOptions {
  /** Path to the `temporal` CLI. */
  cli: string;
  /** gRPC port of the frontend. */
  port: number;
  /** Web UI port; the UI is off when omitted. */
  uiPort?: number | undefined;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  dbFile?: string | undefined;
  namespace: string;
  /** Custom search attributes to register, as made by `defineSearchAttributeKey`. */
  searchAttributes: readonly { name: string; type: SearchAttributeType }[];
  /** Codec server the built-in Web UI decodes payloads with (`--ui-codec-endpoint`); the UI appends `/decode`. */
  uiCodecEndpoint?: string | undefined;
  /** How long to wait for the frontend (and UI) to answer, in ms. Default 60 000. */
  startTimeoutMs?: number;
}

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  uiUrl: string | undefined;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and resolves once it has exited. */
  stop(): Promise<void>;
}

const searchAttributeTypeNames: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** The `temporal server start-dev` arguments for these options. */
export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', options.namespace];
  args.push(...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.uiPort !== undefined && options.uiCodecEndpoint !== undefined) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  // WAL lets the server read while it writes: the persisted dev server keeps up with a month-end export.
  if (options.dbFile !== undefined) args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal');
  for (const key of options.searchAttributes) {
    args.push('--search-attribute', `${key.name}=${searchAttributeTypeNames[key.type]}`);
  }
  // Task-queue fairness: tenants are fairness keys on one queue, each with its own dispatch limit (off by default).
  args.push('--dynamic-config-value', 'matching.enableFairness=true');
  args.push('--log-level', 'warn');
  return args;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function frontendAnswers(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

async function uiAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts the Temporal CLI dev server and resolves once its frontend (and Web UI, when enabled) answers. We run the
 * process ourselves rather than through `@temporalio/testing`, whose hard-coded 5 s start deadline a fresh SQLite
 * file on a 2-core machine can miss, and so that `npm start` and the tests start the server the same way.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`;
  const child = spawn(options.cli, devServerArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(killTimer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The Temporal dev server (${options.cli}) exited before it answered:\n${spawnError?.message ?? output}`);
    }
    const ready = (await frontendAnswers(address, options.namespace)) && (uiUrl === undefined || (await uiAnswers(uiUrl)));
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The Temporal dev server did not answer on ${address} within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await sleep(250);
  }
  if (child.pid === undefined) throw new Error('The Temporal dev server has no process id.');
  return { address, uiUrl, pid: child.pid, stop };
}

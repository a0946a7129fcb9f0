import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { childEnvironment } from '../config/env.js';
import { projectRoot } from '../paths.js';
import { ensureNamespace } from '../temporal/namespace.js';
import { searchAttributes } from '../transfer/index.js';
import { buildBinaries, serverModuleDir, type UiBuild } from './build.js';
import {
  clusterConfigFiles,
  clusterPorts,
  DATABASE_ROLE,
  TEMPORAL_DATABASE,
  TEMPORAL_SERVER_VERSION,
  UI_SERVER_VERSION,
  VISIBILITY_DATABASE,
  type ClusterPorts,
} from './config.js';
import type { ClusterLayout } from './layout.js';
import { clusterPostgres, findPostgresTools, type Postgres } from './postgres.js';
import { portAnswers, recordedPid, startDetached, stopRecorded } from './processes.js';

/** Closed workflows are kept this long in the namespaces we create, as in docker-compose.temporal.yml. */
const RETENTION_DAYS = 30;
const SERVER_START_TIMEOUT_MS = 180_000;
const UI_START_TIMEOUT_MS = 60_000;

const stateSchema = z.object({
  ports: z.object({ frontend: z.number(), ui: z.number(), postgres: z.number() }),
  namespaces: z.array(z.string()),
  ui: z.union([z.object({ url: z.string() }), z.object({ unavailable: z.string() })]),
});
type State = z.infer<typeof stateSchema>;

export interface ClusterOptions {
  layout: ClusterLayout;
  /** PATH, where PostgreSQL's binaries are looked for. */
  pathVariable: string;
  log: (line: string) => void;
}

export interface StartOptions {
  frontendPort: number;
  uiPort?: number | undefined;
  postgresPort: number;
  /** Namespaces besides `default`. */
  namespaces: string[];
  rebuildUi: boolean;
}

const relative = (file: string) => path.relative(projectRoot, file) || '.';

function readState(layout: ClusterLayout): State | undefined {
  try {
    return stateSchema.parse(JSON.parse(readFileSync(layout.state, 'utf8')));
  } catch {
    return undefined;
  }
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The frontend answers and the server's own namespace is readable, so persistence works too. */
async function frontendReady(address: string): Promise<{ serverVersion: string } | undefined> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
    const info = await connection.workflowService.getClusterInfo({});
    return { serverVersion: info.serverVersion ?? 'unknown' };
  } catch {
    return undefined;
  } finally {
    await connection?.close();
  }
}

async function httpAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

function runTool(executable: string, args: string[], env: Record<string, string>, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(executable, args, { env: childEnvironment(env), cwd: projectRoot }, (error, stdout, stderr) => {
      writeFileSync(logFile, `\n$ ${path.basename(executable)} ${args.join(' ')}\n${stdout}${stderr}`, { flag: 'a' });
      if (error === null) resolve();
      else reject(new Error(`${path.basename(executable)} ${args.join(' ')} failed:\n${(stderr || stdout).trim().split('\n').slice(-10).join('\n')}`));
    });
  });
}

/** Creates the version tables and migrates both databases to the schema of the server release that was built. */
async function migrateSchemas(layout: ClusterLayout, port: number, password: string, log: (line: string) => void): Promise<void> {
  const schemaRoot = path.join(await serverModuleDir(), 'schema', 'postgresql', 'v12');
  const connection = ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(port), '--user', DATABASE_ROLE];
  for (const [database, folder] of [
    [TEMPORAL_DATABASE, 'temporal'],
    [VISIBILITY_DATABASE, 'visibility'],
  ] as const) {
    // SQL_PASSWORD rather than --password: arguments show in the process list.
    const env = { SQL_PASSWORD: password };
    await runTool(layout.sqlTool, [...connection, '--database', database, 'setup-schema', '-v', '0.0'], env, layout.log('schema'));
    await runTool(layout.sqlTool, [...connection, '--database', database, 'update-schema', '--schema-dir', path.join(schemaRoot, folder, 'versioned')], env, layout.log('schema'));
  }
  log(`Schemas of ${TEMPORAL_DATABASE} and ${VISIBILITY_DATABASE} are at ${TEMPORAL_SERVER_VERSION}'s versions.`);
}

async function ensureNamespaces(address: string, namespaces: string[], log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    for (const namespace of namespaces) {
      const { namespaceCreated, searchAttributesAdded } = await ensureNamespace(connection, { namespace, retentionDays: RETENTION_DAYS, searchAttributes });
      const done = [namespaceCreated ? 'created' : 'exists', searchAttributesAdded.length > 0 ? `search attributes added: ${searchAttributesAdded.join(', ')}` : 'search attributes in place'];
      log(`Namespace ${namespace}: ${done.join('; ')}.`);
    }
  } finally {
    await connection.close();
  }
}

/** Fails when something that is not ours already listens where the cluster wants to. */
async function requireFreePort(port: number, what: string): Promise<void> {
  if (await portAnswers(port)) {
    throw new Error(`Port ${port} (${what}) is already in use by another program. Stop it, or start the cluster on other ports (npm run cluster -- start --port N).`);
  }
}

function portsFor(options: StartOptions): ClusterPorts {
  return clusterPorts(options.frontendPort, { ui: options.uiPort, postgres: options.postgresPort });
}

async function startServer(layout: ClusterLayout, ports: ClusterPorts, log: (line: string) => void): Promise<void> {
  const address = `127.0.0.1:${ports.frontend}`;
  for (const [port, what] of [
    [ports.frontend, 'frontend gRPC'],
    [ports.history, 'history gRPC'],
    [ports.matching, 'matching gRPC'],
    [ports.worker, 'worker gRPC'],
  ] as const) {
    await requireFreePort(port, what);
  }
  // The server stops on SIGTERM but does not validate its dynamic config file: a typo in a key would pass silently.
  await runTool(layout.server, ['validate-dynamic-config', layout.dynamicConfig], {}, layout.log('temporal'));
  const started = Date.now();
  const pid = startDetached({
    executable: layout.server,
    args: ['--config-file', layout.serverConfig, '--allow-no-auth', 'start'],
    cwd: layout.base,
    logFile: layout.log('temporal'),
    pidFile: layout.pidFile('temporal'),
  });
  log(`Started the Temporal server (pid ${pid}); waiting for the frontend on ${address} …`);
  for (;;) {
    if (recordedPid(layout.pidFile('temporal'), layout.server) === undefined) {
      throw new Error(`The Temporal server exited during start-up. Last lines of ${relative(layout.log('temporal'))}:\n${lastLines(layout.log('temporal'), 20)}`);
    }
    const ready = await frontendReady(address);
    if (ready !== undefined) {
      log(`Frontend answers (server ${ready.serverVersion}) after ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      return;
    }
    if (Date.now() - started > SERVER_START_TIMEOUT_MS) {
      throw new Error(`The Temporal server did not answer on ${address} within ${SERVER_START_TIMEOUT_MS / 1000} s; see ${relative(layout.log('temporal'))}. Stop it with npm run cluster -- stop.`);
    }
    await sleep(500);
  }
}

async function startUi(layout: ClusterLayout, ui: UiBuild, ports: ClusterPorts, log: (line: string) => void): Promise<State['ui']> {
  if (ui.kind === 'failed') return { unavailable: `the Web UI server ${UI_SERVER_VERSION} did not build here (see ${relative(layout.log('build'))}): ${ui.reason.split('\n').at(-1) ?? ''}` };
  const url = `http://127.0.0.1:${ports.ui}`;
  if (recordedPid(layout.pidFile('ui'), layout.uiServer) !== undefined) return { url };
  await requireFreePort(ports.ui, 'Web UI');
  const pid = startDetached({
    executable: layout.uiServer,
    args: ['--root', '.', '--config', 'ui', '--env', 'cluster', 'start'],
    cwd: layout.config,
    logFile: layout.log('ui'),
    pidFile: layout.pidFile('ui'),
  });
  const started = Date.now();
  while (!(await httpAnswers(url))) {
    if (recordedPid(layout.pidFile('ui'), layout.uiServer) === undefined || Date.now() - started > UI_START_TIMEOUT_MS) {
      await stopRecorded(layout.pidFile('ui'), layout.uiServer, 5_000);
      return { unavailable: `the Web UI server built but did not serve ${url}; see ${relative(layout.log('ui'))}:\n${lastLines(layout.log('ui'), 5)}` };
    }
    await sleep(300);
  }
  log(`Web UI server (pid ${pid}) serves ${url}.`);
  return { url };
}

function summary(layout: ClusterLayout, state: State): string {
  const address = `127.0.0.1:${state.ports.frontend}`;
  const lines = [
    '',
    `Temporal cluster: server ${TEMPORAL_SERVER_VERSION} built from source, on PostgreSQL`,
    `  Frontend (gRPC): ${address}`,
    `  Namespaces:      ${state.namespaces.join(', ')} (search attributes: ${searchAttributes.map((key) => key.name).join(', ')})`,
    `  Web UI:          ${'url' in state.ui ? state.ui.url : `none — ${state.ui.unavailable}`}`,
    `  PostgreSQL:      127.0.0.1:${state.ports.postgres}, databases ${TEMPORAL_DATABASE} and ${VISIBILITY_DATABASE}`,
    `  Data:            ${relative(layout.postgresData)}/ (kept by stop; deleted by reset)`,
    `  Config:          ${relative(layout.serverConfig)}, ${relative(layout.dynamicConfig)}`,
    `  Logs:            ${relative(layout.logs)}/ (temporal.log, ui.log, postgres.log, schema.log, build.log)`,
    '',
    `  Point the integration at it:  TEMPORAL_ADDRESS=${address} npm start`,
    `  End-to-end tests against it:  TEMPORAL_ADDRESS=${address} npx vitest run test/e2e/hook-to-fortnox.test.ts`,
    `  Stop it:                      npm run cluster -- stop`,
  ];
  return lines.join('\n');
}

function writeConfigs(layout: ClusterLayout, ports: ClusterPorts, databasePassword: string): void {
  mkdirSync(layout.uiConfigDir, { recursive: true });
  const files = clusterConfigFiles({ ports, databasePassword, dynamicConfigFile: layout.dynamicConfig, defaultNamespace: 'default' });
  // 0600: the server config holds the database password.
  writeFileSync(layout.serverConfig, files.server, { mode: 0o600 });
  chmodSync(layout.serverConfig, 0o600);
  writeFileSync(layout.dynamicConfig, files.dynamicConfig);
  writeFileSync(layout.uiConfig, files.ui);
}

export function createCluster({ layout, pathVariable, log }: ClusterOptions) {
  const postgresFor = (port: number): Postgres => clusterPostgres(layout, findPostgresTools(pathVariable), port);

  async function start(options: StartOptions): Promise<void> {
    const namespaces = ['default', ...options.namespaces.filter((namespace) => namespace !== 'default')];
    const ports = portsFor(options);
    const recorded = readState(layout);
    if (recordedPid(layout.pidFile('temporal'), layout.server) !== undefined) {
      // A server runs but its state file is gone (deleted by hand): assume it runs where we were asked to start it.
      const previous: State = recorded ?? { ports: { frontend: ports.frontend, ui: ports.ui, postgres: ports.postgres }, namespaces: [], ui: { unavailable: 'unknown: the cluster was started without a state file' } };
      const address = `127.0.0.1:${previous.ports.frontend}`;
      if (previous.ports.frontend !== options.frontendPort) log(`The cluster already runs on ${address}; stop it first to move it to port ${options.frontendPort}.`);
      if ((await frontendReady(address)) === undefined) {
        throw new Error(`A Temporal server from an earlier start runs but does not answer on ${address}; see ${relative(layout.log('temporal'))}, or stop it with npm run cluster -- stop.`);
      }
      log('The cluster is already running.');
      const all = [...new Set([...previous.namespaces, ...namespaces])];
      await ensureNamespaces(address, all, log);
      const state = { ...previous, namespaces: all };
      writeFileSync(layout.state, `${JSON.stringify(state, null, 2)}\n`);
      log(summary(layout, state));
      return;
    }

    const startedAt = Date.now();
    const binaries = await buildBinaries(layout, { log, rebuildUi: options.rebuildUi });
    if (binaries.server === 'cached') log(`Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool: cached in ${relative(layout.bin)}/.`);

    mkdirSync(layout.run, { recursive: true });
    const postgres = postgresFor(ports.postgres);
    if (await postgres.initialise()) log(`Initialised a PostgreSQL data folder in ${relative(layout.postgresData)}/.`);
    if (await postgres.running()) {
      log('PostgreSQL is already running.');
    } else {
      await requireFreePort(ports.postgres, 'PostgreSQL');
      await postgres.start();
      log(`PostgreSQL runs on 127.0.0.1:${ports.postgres}.`);
    }
    const password = await postgres.ensureDatabases();
    await migrateSchemas(layout, ports.postgres, password, log);

    writeConfigs(layout, ports, password);
    const serverStartedAt = Date.now();
    await startServer(layout, ports, log);
    const address = `127.0.0.1:${ports.frontend}`;
    await ensureNamespaces(address, namespaces, log);
    const ui = await startUi(layout, binaries.ui, ports, log);
    const state: State = { ports: { frontend: ports.frontend, ui: ports.ui, postgres: ports.postgres }, namespaces, ui };
    writeFileSync(layout.state, `${JSON.stringify(state, null, 2)}\n`);
    log(`Started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (server to ready namespaces: ${((Date.now() - serverStartedAt) / 1000).toFixed(1)} s).`);
    log(summary(layout, state));
  }

  async function stop(): Promise<void> {
    const state = readState(layout);
    log(`Web UI server: ${await stopRecorded(layout.pidFile('ui'), layout.uiServer, 10_000)}.`);
    // The server drains its services on SIGTERM; 30 s covers a history shard handing off.
    log(`Temporal server: ${await stopRecorded(layout.pidFile('temporal'), layout.server, 30_000)}.`);
    if (existsSync(path.join(layout.postgresData, 'PG_VERSION'))) {
      const postgres = postgresFor(state?.ports.postgres ?? 0);
      const wasRunning = await postgres.running();
      await postgres.stop();
      log(`PostgreSQL: ${wasRunning ? 'stopped' : 'not running'}.`);
    } else {
      log('PostgreSQL: not initialised.');
    }
    rmSync(layout.state, { force: true });
  }

  async function status(): Promise<boolean> {
    const state = readState(layout);
    const serverPid = recordedPid(layout.pidFile('temporal'), layout.server);
    const uiPid = recordedPid(layout.pidFile('ui'), layout.uiServer);
    const postgresRunning = existsSync(path.join(layout.postgresData, 'PG_VERSION')) && (await postgresFor(state?.ports.postgres ?? 0).running());
    const address = state === undefined ? undefined : `127.0.0.1:${state.ports.frontend}`;
    const frontend = serverPid === undefined || address === undefined ? undefined : await frontendReady(address);
    log(`Temporal server: ${serverPid === undefined ? 'not running' : `pid ${serverPid}, ${frontend === undefined ? `not answering on ${address ?? '?'}` : `answers on ${address ?? '?'} (server ${frontend.serverVersion})`}`}`);
    const uiUrl = state !== undefined && 'url' in state.ui ? state.ui.url : undefined;
    log(`Web UI server:   ${uiPid === undefined ? (state !== undefined && 'unavailable' in state.ui ? `none — ${state.ui.unavailable}` : 'not running') : `pid ${uiPid}, ${uiUrl !== undefined && (await httpAnswers(uiUrl)) ? `serves ${uiUrl}` : 'not answering'}`}`);
    log(`PostgreSQL:      ${postgresRunning ? `running on 127.0.0.1:${state?.ports.postgres ?? '?'} (data in ${relative(layout.postgresData)}/)` : existsSync(layout.postgresData) ? `stopped (data in ${relative(layout.postgresData)}/)` : 'not initialised'}`);
    if (existsSync(layout.stamp)) log(`Binaries:        ${relative(layout.bin)}/ (${readFileSync(layout.stamp, 'utf8').replace(/\s+/g, ' ').trim()})`);
    if (state !== undefined && frontend !== undefined) log(summary(layout, state));
    return frontend !== undefined;
  }

  async function reset(): Promise<void> {
    await stop();
    for (const dir of [layout.postgresData, layout.secrets, layout.config, layout.run, layout.logs]) rmSync(dir, { recursive: true, force: true });
    log(`Deleted the cluster's data, config, logs and run files; kept the binaries in ${relative(layout.bin)}/.`);
  }

  return { start, stop, status, reset };
}

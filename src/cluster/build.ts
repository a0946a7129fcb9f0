import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { childEnvironment } from '../config/env.js';
import { projectRoot } from '../paths.js';
import { GO_TOOLCHAIN, TEMPORAL_SERVER_VERSION, UI_SERVER_VERSION } from './config.js';
import type { ClusterLayout } from './layout.js';

const SERVER_MODULE = 'go.temporal.io/server';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';

const stampSchema = z.object({
  goToolchain: z.string(),
  temporalServer: z.string().optional(),
  uiServer: z
    .union([
      z.object({ version: z.string(), built: z.literal(true) }),
      z.object({ version: z.string(), built: z.literal(false), reason: z.string() }),
    ])
    .optional(),
});
type Stamp = z.infer<typeof stampSchema>;

function readStamp(layout: ClusterLayout): Stamp {
  try {
    return stampSchema.parse(JSON.parse(readFileSync(layout.stamp, 'utf8')));
  } catch {
    return { goToolchain: GO_TOOLCHAIN };
  }
}

function writeStamp(layout: ClusterLayout, stamp: Stamp): void {
  writeFileSync(layout.stamp, `${JSON.stringify(stamp, null, 2)}\n`);
}

export class GoMissingError extends Error {
  override readonly name = 'GoMissingError';
}

const goEnvironment = (gobin?: string) => childEnvironment({ GOTOOLCHAIN: GO_TOOLCHAIN, ...(gobin === undefined ? {} : { GOBIN: gobin }) });

const seconds = (ms: number) => {
  const total = Math.round(ms / 1000);
  return total < 60 ? `${total}s` : `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
};

/**
 * Runs the go command with the pinned toolchain, its output appended to `logFile`, a progress line every 20 s, at
 * lower CPU priority so that a machine busy with other work stays usable. Resolves with the last lines of output.
 */
function runGo(args: string[], options: { gobin?: string; logFile: string; label: string; log: (line: string) => void }): Promise<{ ok: boolean; tail: string }> {
  return new Promise((resolve, reject) => {
    const logStream = createWriteStream(options.logFile, { flags: 'a' });
    logStream.write(`\n$ GOTOOLCHAIN=${GO_TOOLCHAIN} go ${args.join(' ')}\n`);
    const child = spawn('go', args, { env: goEnvironment(options.gobin), stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, 10);
      } catch {
        // Not allowed on some systems; the build is only slower for the rest of the machine.
      }
    }
    const started = Date.now();
    let downloads = 0;
    let packages = 0;
    let tail: string[] = [];
    let pending = '';
    const onOutput = (chunk: Buffer) => {
      logStream.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('go: downloading ')) downloads += 1;
        // `go install -v` prints each package as it compiles it, one import path a line.
        else if (/^[\w.-]+(\/[\w.~+-]+)+$/.test(line) || /^[\w-]+$/.test(line)) packages += 1;
        tail = [...tail, line].slice(-15);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const ticker = setInterval(() => {
      options.log(`  … ${options.label}: ${seconds(Date.now() - started)}, ${downloads} modules downloaded, ${packages} packages compiled`);
    }, 20_000);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(ticker);
      logStream.end();
      reject(
        error.code === 'ENOENT'
          ? new GoMissingError(`The go command was not found on PATH. Install Go 1.21 or newer (it fetches ${GO_TOOLCHAIN} by itself) and run again.`)
          : error,
      );
    });
    child.once('close', (code) => {
      clearInterval(ticker);
      logStream.end();
      resolve({ ok: code === 0, tail: [...tail, pending].filter((line) => line !== '').join('\n') });
    });
  });
}

async function install(
  packages: string[],
  targets: { from: string; to: string }[],
  layout: ClusterLayout,
  label: string,
  log: (line: string) => void,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  rmSync(layout.staging, { recursive: true, force: true });
  mkdirSync(layout.staging, { recursive: true });
  const result = await runGo(['install', '-v', ...packages], { gobin: layout.staging, logFile: layout.log('build'), label, log });
  if (!result.ok) return { ok: false, reason: result.tail };
  for (const { from, to } of targets) renameSync(path.join(layout.staging, from), to);
  rmSync(layout.staging, { recursive: true, force: true });
  return { ok: true };
}

export type UiBuild = { kind: 'built' | 'cached'; binary: string } | { kind: 'failed'; reason: string };

/**
 * Builds the Temporal server and temporal-sql-tool (one module version, one `go install`) and then tries the Web UI
 * server, unless bin/ already holds binaries of exactly these versions. A failed UI build is recorded and not
 * retried at every start; `rebuildUi` tries again.
 */
export async function buildBinaries(layout: ClusterLayout, options: { log: (line: string) => void; rebuildUi?: boolean }): Promise<{ server: 'built' | 'cached'; ui: UiBuild }> {
  const { log } = options;
  mkdirSync(layout.bin, { recursive: true });
  mkdirSync(layout.logs, { recursive: true });
  let stamp = readStamp(layout);
  if (stamp.goToolchain !== GO_TOOLCHAIN) stamp = { goToolchain: GO_TOOLCHAIN };

  let server: 'built' | 'cached' = 'cached';
  const serverCached = stamp.temporalServer === TEMPORAL_SERVER_VERSION && existsSync(layout.server) && existsSync(layout.sqlTool);
  if (!serverCached) {
    const started = Date.now();
    log(`Building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool with ${GO_TOOLCHAIN} (about 6 minutes on 2 cores the first time; output in ${path.relative(projectRoot, layout.log('build'))}) …`);
    const result = await install(
      [`${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`],
      [
        { from: 'server', to: layout.server },
        { from: 'sql', to: layout.sqlTool },
      ],
      layout,
      'Temporal server',
      log,
    );
    if (!result.ok) throw new Error(`Building the Temporal server failed:\n${result.reason}\nFull output: ${layout.log('build')}`);
    stamp = { ...stamp, temporalServer: TEMPORAL_SERVER_VERSION };
    writeStamp(layout, stamp);
    server = 'built';
    log(`Built the Temporal server in ${seconds(Date.now() - started)}.`);
  }

  let ui: UiBuild;
  const previous = stamp.uiServer?.version === UI_SERVER_VERSION ? stamp.uiServer : undefined;
  if (previous?.built === true && existsSync(layout.uiServer)) {
    ui = { kind: 'cached', binary: layout.uiServer };
  } else if (previous?.built === false && options.rebuildUi !== true) {
    ui = { kind: 'failed', reason: previous.reason };
  } else {
    const started = Date.now();
    log(`Building the Web UI server ${UI_SERVER_VERSION} (its module carries the built UI) …`);
    const result = await install([`${UI_MODULE}/cmd/server@${UI_SERVER_VERSION}`], [{ from: 'server', to: layout.uiServer }], layout, 'Web UI server', log);
    if (result.ok) {
      stamp = { ...stamp, uiServer: { version: UI_SERVER_VERSION, built: true } };
      ui = { kind: 'built', binary: layout.uiServer };
      log(`Built the Web UI server in ${seconds(Date.now() - started)}.`);
    } else {
      stamp = { ...stamp, uiServer: { version: UI_SERVER_VERSION, built: false, reason: result.reason } };
      ui = { kind: 'failed', reason: result.reason };
      log(`The Web UI server did not build; carrying on without it (npm run cluster -- start --rebuild-ui tries again).`);
    }
    writeStamp(layout, stamp);
  }
  return { server, ui };
}

/**
 * The folder of the server module in the Go module cache, downloading it when a cleaned cache no longer has it: the
 * schema files must be those of the release that was built.
 */
export async function serverModuleDir(): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('go', ['mod', 'download', '-json', `${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}`], { env: goEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`go mod download ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION} failed:\n${errors}${text}`))));
  });
  const info = z.object({ Dir: z.string().min(1) }).safeParse(JSON.parse(output));
  if (!info.success) throw new Error(`go mod download gave no module folder for ${SERVER_MODULE}@${TEMPORAL_SERVER_VERSION}:\n${output}`);
  return info.data.Dir;
}

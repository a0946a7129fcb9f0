import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/env.js';
import { payloadProtection } from '../../src/temporal/data-converter.js';
import type { invoiceTransfer } from '../../workflows/invoice-transfer.js';
import { freePort } from '../../src/http/free-port.js';
import { freshClone } from '../helpers/fresh-clone.js';
import { processesInGroup } from '../helpers/processes.js';

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Process groups of every `npm start` this file ran. */
const startedGroups: number[] = [];

// This file proves `npm start` on embedded defaults, as a newcomer has them: none of the integration's settings is
// handed on (also not TEMPORAL_ADDRESS in a run pointed at a cluster, test/helpers/global-setup.ts), except the
// ports below, which must be free ones on a machine that runs other tests at the same time.
const settings = new Set(Object.keys(configSchema.shape).filter((name) => name !== 'PATH'));
// Nor npm's own variables of the test run (npm_config_local_prefix and the like point npm at this checkout).
const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !settings.has(name) && !name.toLowerCase().startsWith('npm_')));

/** Starts `npm start` in its own process group, as a terminal would, and waits for it to print the Web UI URL. */
async function npmStart(cwd: string, env: Record<string, string>): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd, env: { ...inherited, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) startedGroups.push(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await sleep(100);
  }
  return { child, output: () => output };
}

/**
 * Ctrl-C: SIGINT to the whole foreground process group, as a terminal sends it. Resolves once npm has exited and
 * the group is empty (or 15 s have passed), with what `npm start` printed.
 */
async function pressCtrlC(started: Started): Promise<string> {
  const groupId = started.child.pid!;
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  process.kill(-groupId, 'SIGINT');
  await exited;
  const deadline = Date.now() + 15_000;
  while (processesInGroup(groupId).length > 0 && Date.now() < deadline) await sleep(100);
  return started.output();
}

/** Runs the CLI as a user would, with the same environment as `npm start`. */
function cli(cwd: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start', () => {
  let clone: string;
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    // A newcomer's first run: a fresh clone, DATA_DIR not set (so `.data` inside the clone, which does not exist yet).
    clone = freshClone();
    dataDir = path.join(clone, '.data');
    env = {
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      FORTNOX_SANDBOX_PORT: String(await freePort()),
      SUMMA_SANDBOX_PORT: String(await freePort()),
      HOOK_PORT: String(await freePort()),
    };
    expect(existsSync(dataDir)).toBe(false);
  });
  afterAll(() => {
    // Whatever a failed step left running (the dev server outlives npm when npm is killed) goes too.
    for (const group of startedGroups) if (processesInGroup(group).length > 0) process.kill(-group, 'SIGKILL');
    rmSync(clone, { recursive: true, force: true });
  });

  it('runs the integration on embedded defaults, transfers the example invoice, keeps it across a restart and stops cleanly on Ctrl-C', { timeout: 180_000 }, async () => {
    const address = `127.0.0.1:${env.TEMPORAL_PORT}`;
    const first = await npmStart(clone, env);
    expect(first.output()).toContain(`Temporal Web UI: http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect(first.output()).toContain('npm run cli -- transfer examples/invoice-simple.json');
    // The summary block, not the bundler's module list or routine worker state changes: those are in the log file.
    expect(first.output()).not.toContain('modules by path');
    expect(first.output()).not.toContain('Worker state changed');
    expect(first.output()).toContain('log .data/worker.log');
    expect(readFileSync(path.join(dataDir, 'worker.log'), 'utf8')).toContain('Workflow bundle created');
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${env.HOOK_PORT}/hooks/summa/invoices`)).status).toBe(405);

    // The one command the start-up message offers.
    const sent = await cli(clone, env, 'transfer', 'examples/invoice-simple.json');
    expect(sent.output).toContain('invoice/demo/F-24117: started');
    let connection = await Connection.connect({ address });
    // The demo encrypts with the key npm start created in DATA_DIR; read the result with it, as the CLI does.
    const dataConverter = payloadProtection({ DATA_DIR: dataDir, PAYLOAD_KEYS: undefined, PAYLOAD_KEY_FILE: undefined })?.dataConverter;
    expect(dataConverter).toBeDefined();
    const handle = new Client({ connection, ...(dataConverter === undefined ? {} : { dataConverter }) }).workflow.getHandle<typeof invoiceTransfer>('invoice/demo/F-24117');
    const outcome = await handle.result();
    await connection.close();
    const summa = (await (await fetch(`http://127.0.0.1:${env.SUMMA_SANDBOX_PORT}/sandbox/state`)).json()) as { invoices: Record<string, { fortnoxInvoiceNumber?: string }> };
    expect(summa.invoices['demo/F-24117']?.fortnoxInvoiceNumber).toBe(outcome.fortnoxInvoiceNumber);
    expect(await pressCtrlC(first)).toMatch(/SIGINT: stopping …\n(.*\n)*Stopped\./);
    expect(processesInGroup(first.child.pid!)).toEqual([]);

    const second = await npmStart(clone, env);
    connection = await Connection.connect({ address });
    const description = await new Client({ connection }).workflow.getHandle('invoice/demo/F-24117').describe();
    await connection.close();
    expect(description.status.name).toBe('COMPLETED');
    const status = await cli(clone, env, 'status', 'demo', 'F-24117', '--json');
    expect(JSON.parse(status.output.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ status: 'Transferred', fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber });
    expect(await pressCtrlC(second)).toMatch(/Stopped\./);
    expect(processesInGroup(second.child.pid!)).toEqual([]);
  });
});

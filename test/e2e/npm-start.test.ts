import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { freePort } from '../helpers/free-port.js';
import { processesInGroup } from '../helpers/processes.js';

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Starts `npm start` in its own process group, as a terminal would, and waits for it to print the Web UI URL. */
async function npmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: projectRoot, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
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

describe('npm start', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-start-'));
    env = { TEMPORAL_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), DATA_DIR: dataDir };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the Web UI and the frontend, keeps workflows across a restart, and stops cleanly on Ctrl-C', async () => {
    const address = `127.0.0.1:${env.TEMPORAL_PORT}`;
    const workflowId = 'survives-restart';

    const first = await npmStart(env);
    expect(first.output()).toContain(`Temporal Web UI: http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`)).status).toBe(200);
    let connection = await Connection.connect({ address });
    // No worker serves this queue: the workflow simply stays open, which is what must survive the restart.
    await new Client({ connection }).workflow.start('ping', { taskQueue: 'nobody-polls', workflowId, args: [{ message: 'x' }] });
    await connection.close();
    expect(await pressCtrlC(first)).toMatch(/SIGINT: stopping …\nStopped\./);
    expect(processesInGroup(first.child.pid!)).toEqual([]);

    const second = await npmStart(env);
    connection = await Connection.connect({ address });
    const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    await connection.close();
    expect(description.status.name).toBe('RUNNING');
    expect(await pressCtrlC(second)).toMatch(/SIGINT: stopping …\nStopped\./);
    expect(processesInGroup(second.child.pid!)).toEqual([]);
  });
});

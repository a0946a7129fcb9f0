import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const cli = (args: string[]) => ['--import', 'tsx', 'src/cli/sandbox.ts', ...args];

describe('npm run sandbox', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    child = undefined;
  });

  it('prints the base URL and the demo client, serves tokens, and stops cleanly on SIGTERM', async () => {
    child = spawn(process.execPath, cli(['--port', '0', '--no-rate-limit', '--token-lifetime', '120']), { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the sandbox did not come up:\n${output}`);
      await sleep(50);
    }
    const url = /Fortnox sandbox: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(output).toContain('Client id:     sandbox-client');
    expect(output).toContain('Client secret: sandbox-secret');
    expect(output).toContain('Rate limit:    off');
    const token = await fetch(`${url ?? ''}/oauth-v1/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`, TenantId: '1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(await token.json()).toMatchObject({ expires_in: 120, token_type: 'bearer' });

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
  });

  it.each([
    [['--port', 'abc'], '--port must be a whole number'],
    [[], '--port is required'],
    [['--port', '8089', '--colour', 'blue'], "Unknown option '--colour'"],
    [['--port', '8089', '--token-lifetime', '0'], '--token-lifetime must be at least 1'],
  ])('refuses %j with exit code 2, naming the bad argument', (args, message) => {
    const result = spawnSync(process.execPath, cli(args), { cwd: projectRoot, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run sandbox -- --port <port>');
  });
});

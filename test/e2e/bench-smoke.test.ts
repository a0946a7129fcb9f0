import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/report.js';
import { projectRoot } from '../../src/paths.js';
import { processesInGroup } from '../helpers/processes.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));

/** `npm run bench -- --smoke` as its own process group, so that whatever it started can be checked for and stopped. */
async function runBench(out: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'bench.ts'), '--smoke', '--out', out], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const groupId = child.pid!;
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => process.kill(-groupId, 'SIGKILL'), 150_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  // The benchmark stops its Temporal servers and workers itself; give stragglers a moment, then make sure.
  const deadline = Date.now() + 15_000;
  while (processesInGroup(groupId).length > 0 && Date.now() < deadline) await sleep(100);
  const left = processesInGroup(groupId);
  if (left.length > 0) process.kill(-groupId, 'SIGKILL');
  return { code, output: left.length > 0 ? `${output}\n(left running: ${left.join(', ')})` : output };
}

describe('npm run bench -- --smoke', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every scenario through the real pipeline and writes sane figures', { timeout: 180_000 }, async () => {
    const out = path.join(dir, 'smoke.json');
    const { code, output } = await runBench(out);
    expect(code, output).toBe(0);
    expect(output).not.toContain('left running');
    expect(output).toContain('1. Month-end export');
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;

    expect(results.kind).toBe('smoke');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.cpuModel).not.toBe('');
    expect(results.machine.memoryGiB).toBeGreaterThan(0);

    const first = results.scenarios.monthEnd!;
    expect(first.invoices).toBe(10);
    expect(first.writtenBack).toBe(first.invoices);
    expect(first.wallSeconds).toBeGreaterThan(0);
    expect(first.fortnox.apiCalls).toBeGreaterThan(0);
    expect(first.fortnox.byEndpoint['POST /3/invoices']).toBe(first.invoices);
    expect(first.callsPerInvoice).toBeGreaterThan(0);
    expect(first.fortnox.tooManyRequests).toBe(0);
    expect(first.fortnox.truncated).toBe(false);
    for (const tenant of Object.values(first.fortnox.perTenant)) expect(tenant.maxIn5s).toBeLessThanOrEqual(25);
    expect(first.requestsPerSecondPerTenant).toBeGreaterThan(0);
    // Fortnox allows 25 in any 5 s, so a run shorter than a few windows may average more than 5/s (25 in its first
    // 3 s): the most any run of this length can average is 25 per started window.
    expect(first.requestsPerSecondPerTenant).toBeLessThanOrEqual((25 * Math.ceil(first.wallSeconds / 5)) / first.wallSeconds + 0.01);
    expect(first.minimum.total).toBeGreaterThanOrEqual(first.invoices);
    expect(first.fortnox.apiCalls).toBeGreaterThanOrEqual(first.minimum.total);
    expect(first.minimumSeconds).toBeGreaterThan(0);
    expect(first.efficiency).toBeGreaterThan(0);
    expect(first.efficiency).toBeLessThanOrEqual(1.2);
    expect(first.activities.transfers).toBe(first.invoices);
    expect(first.activities.fortnoxActivities).toBeGreaterThanOrEqual(first.invoices);
    expect(first.activitiesPerInvoice).toBeGreaterThanOrEqual(5);
    expect(first.cpuSecondsPerInvoice).toBeGreaterThan(0);
    expect(first.usage.worker.cpuSeconds).toBeGreaterThan(0);
    expect(first.usage.temporal.cpuSeconds).toBeGreaterThan(0);
    expect(first.ceiling.statement).not.toBe('');

    const many = results.scenarios.manyTenants!;
    expect(many.tenants).toBe(2);
    expect(many.invoices).toBe(10);
    expect(many.writtenBack).toBe(many.invoices);
    expect(many.invoicesPerSecond).toBeGreaterThan(0);
    expect(many.speedupOverOneTenant).toBeGreaterThan(0);
    expect(many.fortnox.tooManyRequests).toBe(0);
    expect(Object.keys(many.fortnox.perTenant)).toHaveLength(2);
    expect(many.efficiency).toBeGreaterThan(0);
    expect(many.efficiency).toBeLessThanOrEqual(1.2);
    expect(many.usage.worker.averageCores).toBeGreaterThan(0);
    expect(many.usage.temporal.averageCores).toBeGreaterThan(0);
    expect(['fortnox-request-limit', 'activity-cap', 'cpu', 'none-saturated']).toContain(many.ceiling.cause);

    const fast = results.scenarios.unthrottled!;
    expect(fast.export.invoicesPerSecond).toBeGreaterThan(0);
    expect(fast.burst.invoicesPerSecond).toBeGreaterThan(0);
    expect(fast.ceilingInvoicesPerSecond).toBeGreaterThan(0);
    expect(fast.fortnox.tooManyRequests).toBe(0);
    expect(fast.memory.workerPeakRssMiB).toBeGreaterThan(10);
    expect(fast.memory.temporalPeakRssMiB).toBeGreaterThan(10);
    expect(fast.burst.usage.worker.cpuSeconds).toBeGreaterThan(0);
    expect(fast.latency.samples).toBe(5);
    expect(fast.latency.p50Ms).toBeGreaterThan(0);
    expect(fast.latency.p95Ms).toBeGreaterThanOrEqual(fast.latency.p50Ms);
    expect(fast.latency.p95Ms).toBeLessThan(30_000);

    const naive = results.scenarios.baseline!;
    expect(naive.invoices).toBe(10);
    expect(naive.writtenBack).toBe(naive.invoices);
    expect(naive.wallSeconds).toBeGreaterThan(0);
    expect(naive.fortnox.apiCalls).toBeGreaterThan(first.minimum.total);
    expect(naive.fortnox.tooManyRequests).toBe(0);
    expect(naive.oursAsShareOfBaseline).toBeGreaterThan(0);

    // Two worker processes, told nothing about each other, keep the tenant within Fortnox's limit.
    const scaling = results.scenarios.workerScaling!;
    expect(scaling.map((run) => run.processes)).toEqual([2]);
    expect(scaling[0]).toMatchObject({ invoices: 10, tooManyRequests: 0 });
    expect(scaling[0]!.maxIn5s).toBeGreaterThan(0);
    expect(scaling[0]!.maxIn5s).toBeLessThanOrEqual(25);
    expect(output).toContain('5. One tenant');
  });
});

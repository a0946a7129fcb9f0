// The chaos run at a size the suite can afford, run as a user runs it: `npm run chaos` (scripts/chaos.ts) as its
// own process, with every disruption once, faults at the dense preset so that a small run still meets each kind,
// and the same audit. The figures are read from the JSON it writes with --out.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ChaosReport } from '../../bench/chaos/run.js';
import { projectRoot } from '../../src/paths.js';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'chaos-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs `npm run chaos -- <args>` and returns its exit code, its output and the report it wrote. */
async function npmRunChaos(args: string[]): Promise<{ code: number | null; output: string; report: ChaosReport }> {
  const out = path.join(workDir, 'chaos.json');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'chaos.ts'), ...args, '--out', out], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  let report: ChaosReport;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as ChaosReport;
  } catch {
    throw new Error(`npm run chaos wrote no report (exit ${code ?? '?'}):\n${output}`);
  }
  return { code, output, report };
}

describe('a small chaos run', () => {
  let report: ChaosReport;

  it('loses and duplicates nothing while Fortnox fails, the worker is killed and Temporal and the hook restart', { timeout: 300_000 }, async () => {
    const run = await npmRunChaos([
      ...['--invoices', '40', '--tenants', '2', '--export-share', '0.5', '--kills', '1', '--seed', '20261128', '--sending-seconds', '8'],
      ...['--faults', 'dense', '--bundle', inject('workflowBundlePath'), '--settle-minutes', '3'],
    ]);
    report = run.report;
    const summary = run.output;
    expect(report.disruptions.map((disruption) => disruption.kind).sort(), summary).toEqual(['hookRestart', 'temporalRestart', 'workerKill']);
    for (const kind of ['applyThenDrop', '5xx', '429', 'latency'] as const) expect(report.faultsInjected[kind], `${kind}\n${summary}`).toBeGreaterThan(0);
    expect(report.audit.duplicates, summary).toEqual([]);
    expect(report.audit.lost, summary).toEqual([]);
    expect(report.audit.writeBackWrong, summary).toEqual([]);
    expect(report.audit.unfinishedWorkflows, summary).toEqual([]);
    expect(report.outbox.refused, summary).toEqual([]);
    expect(report.audit.transferred + report.audit.needsAttention.length, summary).toBe(40);
    // The command's own verdict: exit 0 exactly when the audit passed.
    expect(run.code, summary).toBe(0);
  });

  it('had Summa send while the hook and Temporal were away, and found every invoice transferred', () => {
    const hookRestart = report.disruptions.find((disruption) => disruption.kind === 'hookRestart');
    expect(hookRestart?.progress).not.toMatch(/^(\d+)\/\1 delivered/);
    expect(report.outbox.connectionFailures).toBeGreaterThan(0);
    const temporalRestart = report.disruptions.find((disruption) => disruption.kind === 'temporalRestart');
    expect(temporalRestart?.progress).not.toMatch(/^(\d+)\/\1 delivered/);
    // Nothing in this run is the data's fault, so nothing should need a person.
    expect(report.audit.needsAttention).toEqual([]);
    expect(report.audit.transferred).toBe(40);
  });
});

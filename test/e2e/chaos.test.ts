// The chaos run (bench/chaos) at a size the suite can afford: every disruption of `npm run chaos` once, faults at
// higher rates so that a small run still meets each kind, and the same audit.
import { describe, expect, inject, it } from 'vitest';
import { auditPassed } from '../../bench/chaos/audit.js';
import { formatChaosReport } from '../../bench/chaos/report.js';
import { runChaos, type ChaosReport } from '../../bench/chaos/run.js';

describe('a small chaos run', () => {
  let report: ChaosReport;

  it('loses and duplicates nothing while Fortnox fails, the worker is killed and Temporal and the hook restart', { timeout: 300_000 }, async () => {
    const lines: string[] = [];
    report = await runChaos({
      invoices: 40,
      tenants: 2,
      exportShare: 0.5,
      workerKills: 1,
      seed: 20261128,
      sendingSeconds: 8,
      faults: { applyThenDrop: 0.08, serverError: 0.1, tooManyRequests: 0.05, latencySpike: 0.05, latencySpikeMs: 2_000 },
      bundlePath: inject('workflowBundlePath'),
      settleTimeoutMs: 180_000,
      log: (line) => lines.push(line),
    });
    const summary = `${formatChaosReport(report)}\n${lines.join('\n')}`;
    expect(report.disruptions.map((disruption) => disruption.kind).sort(), summary).toEqual(['hookRestart', 'temporalRestart', 'workerKill']);
    for (const kind of ['applyThenDrop', '5xx', '429', 'latency'] as const) expect(report.faultsInjected[kind], `${kind}\n${summary}`).toBeGreaterThan(0);
    expect(report.audit.duplicates, summary).toEqual([]);
    expect(report.audit.lost, summary).toEqual([]);
    expect(report.audit.writeBackWrong, summary).toEqual([]);
    expect(report.audit.unfinishedWorkflows, summary).toEqual([]);
    expect(report.outbox.refused, summary).toEqual([]);
    expect(report.audit.transferred + report.audit.needsAttention.length, summary).toBe(40);
    expect(auditPassed(report.audit), summary).toBe(true);
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

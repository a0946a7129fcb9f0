// The benchmark's output: the machine it ran on, the settings it ran with, and the table it prints.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { loadConfig } from '../src/config/env.js';
import { projectRoot } from '../src/paths.js';
import { findTemporalCli } from '../src/temporal/cli.js';
import type { BaselineResult } from './baseline.js';
import type { ManyTenantsFigures, ThrottledFigures, UnthrottledFigures, WorkerScalingRun } from './scenarios.js';

export interface BenchResults {
  kind: 'full' | 'smoke';
  machine: ReturnType<typeof machineInfo>;
  settings: ReturnType<typeof settings>;
  /** The benchmark measures the working tree; if the product code changed while it ran, scenarios may differ in code. */
  productCodeChangedDuringRun: boolean;
  sizes: unknown;
  totalSeconds: number;
  scenariosRanConcurrently: string;
  scenarios: {
    monthEnd?: ThrottledFigures;
    manyTenants?: ManyTenantsFigures;
    unthrottled?: UnthrottledFigures;
    workerScaling?: WorkerScalingRun[];
    baseline?: BaselineResult & { steps: string[]; oursAsShareOfBaseline: number | null; speedup: number | null };
  };
}

/** What the worker runs with. The benchmark tunes none of it; these are the product's and the SDK's defaults. */
export function settings() {
  const defaults = loadConfig({});
  return {
    worker: 'src/cli/worker.ts (npm run worker), one process (scenario 5: 1, 2, 4): one Worker on one task queue, every tenant under its own fairness key',
    sdkDefaults:
      'Temporal TS SDK 1.24 per worker: maxConcurrentWorkflowTaskExecutions 40, maxConcurrentActivityTaskExecutions 100, 10 pollers each, maxCachedWorkflows from heap size',
    /** The product's numeric Fortnox settings at their defaults (FORTNOX_ACTIVITIES_PER_SECOND: server-side cap per tenant queue). */
    productDefaults: Object.fromEntries(Object.entries(defaults).filter(([key, value]) => key.startsWith('FORTNOX_') && typeof value === 'number')),
    fortnoxClientLimit: 'the Fortnox client holds each of its slots until 5 s after its request finished (src/fortnox/rate-limiter.ts)',
    exportConcurrency: 'an export lets 8 transfers run at a time (workflows/invoice-export.ts)',
    sandboxLimit: 'Fortnox sandbox: 25 requests per sliding 5 s per (client, tenant); 429 beyond',
  };
}

/** The product code the benchmark measures: the commit and any uncommitted changes to it. */
export function productCodeState(): {
  commit: string | null;
  /** Git's tree ids of src, activities and workflows at HEAD: a commit of other files (the benchmark's) leaves them alone. */
  productTrees: string | null;
  uncommittedProductChanges: string | null;
  untrackedProductFiles: string[];
  productDiffHash: string;
} {
  return {
    commit: git(['rev-parse', '--short', 'HEAD']),
    productTrees: git(['rev-parse', '--short', 'HEAD:src', 'HEAD:activities', 'HEAD:workflows'])?.split('\n').join(' ') ?? null,
    productDiffHash: createHash('sha256')
      .update(git(['diff', 'HEAD', '--', 'src', 'activities', 'workflows']) ?? '')
      .digest('hex')
      .slice(0, 12),
    uncommittedProductChanges: git(['diff', '--shortstat', 'HEAD', '--', 'src', 'activities', 'workflows']) || null,
    untrackedProductFiles: git(['ls-files', '--others', '--exclude-standard', '--', 'src', 'activities', 'workflows'])?.split('\n').filter(Boolean) ?? [],
  };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo() {
  const config = loadConfig();
  const cli = findTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH });
  let temporalCli: string | null = null;
  try {
    temporalCli = cli === undefined ? null : execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    temporalCli = null;
  }
  return {
    host: os.hostname(),
    date: new Date().toISOString(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli,
    ...productCodeState(),
  };
}

const seconds = (value: number) => `${value.toFixed(1)} s`;

/** The printed table: one block per scenario, figure and value. */
export function table(results: BenchResults): string {
  const rows: [string, string][] = [];
  const section = (title: string) => rows.push([`— ${title}`, '']);
  const { monthEnd, manyTenants, unthrottled, baseline, workerScaling } = results.scenarios;
  if (monthEnd !== undefined) {
    section(`1. Month-end export: ${monthEnd.invoices} invoices, 1 tenant, Fortnox limit on`);
    rows.push(
      ['wall time', seconds(monthEnd.wallSeconds)],
      ['invoices/s', String(monthEnd.invoicesPerSecond)],
      ['written back to Summa', `${monthEnd.writtenBack}/${monthEnd.invoices}`],
      ['Fortnox API calls', `${monthEnd.fortnox.apiCalls} (${monthEnd.callsPerInvoice} per invoice; + ${monthEnd.fortnox.oauthCalls} token)`],
      ...Object.entries(monthEnd.fortnox.byEndpoint).map(([endpoint, calls]): [string, string] => [`  ${endpoint}`, `${calls} (${monthEnd.callsPerInvoiceByEndpoint[endpoint]}/invoice)`]),
      ['requests/s achieved vs allowed', `${monthEnd.requestsPerSecondPerTenant} / ${monthEnd.allowedRequestsPerSecondPerTenant} (${Math.round(monthEnd.limitUtilisation * 100)} %)`],
      ['most requests in any 5 s', String(Math.max(...Object.values(monthEnd.fortnox.perTenant).map((tenant) => tenant.maxIn5s)))],
      ['429 answers', String(monthEnd.fortnox.tooManyRequests)],
      ['minimum for calls made (calls ÷ 5/s)', seconds(monthEnd.callsMadeMinimumSeconds)],
      ['minimum calls needed', `${monthEnd.minimum.total} = ${monthEnd.minimum.invoices} + ${monthEnd.minimum.customers} + ${monthEnd.minimum.projects} + ${monthEnd.minimum.costCentres} + ${monthEnd.minimum.termsOfPayment} + ${monthEnd.minimum.chartOfAccountsReads}`],
      ['physical minimum (minimum ÷ 5/s)', seconds(monthEnd.minimumSeconds)],
      ['efficiency (minimum ÷ wall)', monthEnd.efficiency.toFixed(3)],
      ['Fortnox activities', `${monthEnd.activities.fortnoxActivities} (${monthEnd.activities.fortnoxPerInvoice}/invoice), ${monthEnd.activities.fortnoxPerSecondPerTenant}/s of cap ${monthEnd.activities.capPerSecondPerTenant}/s`],
      ['activities per invoice (task queue + local)', `${monthEnd.activitiesPerInvoice} (${monthEnd.activities.localActivities} local)`],
      ['CPU worker / Temporal (avg cores)', `${monthEnd.usage.worker.averageCores} / ${monthEnd.usage.temporal.averageCores}`],
      ['CPU seconds per invoice (Temporal + worker)', String(monthEnd.cpuSecondsPerInvoice)],
      ['what set the pace', monthEnd.ceiling.statement],
    );
  }
  if (manyTenants !== undefined) {
    section(`2. ${manyTenants.tenants} tenants × ${manyTenants.invoices / manyTenants.tenants} invoices at once, Fortnox limit on`);
    rows.push(
      ['wall time', seconds(manyTenants.wallSeconds)],
      ['aggregate invoices/s', String(manyTenants.invoicesPerSecond)],
      ['vs scenario 1 (one tenant)', manyTenants.speedupOverOneTenant === null ? 'n/a (scenario 1 not run)' : `${manyTenants.speedupOverOneTenant}× (ideal ${manyTenants.tenants}×)`],
      ['Fortnox API calls', `${manyTenants.fortnox.apiCalls} (${manyTenants.callsPerInvoice} per invoice), 429s: ${manyTenants.fortnox.tooManyRequests}`],
      ['requests/s per tenant (min–max)', `${manyTenants.perTenantRequestsPerSecond.min}–${manyTenants.perTenantRequestsPerSecond.max} of 5`],
      ['physical minimum / efficiency', `${seconds(manyTenants.minimumSeconds)} / ${manyTenants.efficiency.toFixed(3)}`],
      ['Fortnox activities per tenant', `${manyTenants.activities.fortnoxPerSecondPerTenant}/s of cap ${manyTenants.activities.capPerSecondPerTenant}/s`],
      ['activities per invoice (task queue + local)', String(manyTenants.activitiesPerInvoice)],
      ['CPU seconds per invoice (Temporal + worker)', String(manyTenants.cpuSecondsPerInvoice)],
      ['worker CPU avg / peak (cores)', `${manyTenants.usage.worker.averageCores} / ${manyTenants.usage.worker.peakCores}`],
      ['Temporal CPU avg / peak (cores)', `${manyTenants.usage.temporal.averageCores} / ${manyTenants.usage.temporal.peakCores}`],
      ['sandboxes + client CPU avg', String(manyTenants.usage.benchProcess.averageCores)],
      ['ceiling', manyTenants.ceiling.statement],
    );
  }
  if (unthrottled !== undefined) {
    section('3. Unthrottled: sandbox limit off, client limit high');
    const { export: exportRun, burst, memory, latency } = unthrottled;
    rows.push(
      ['export (8 at a time)', `${exportRun.invoices} in ${seconds(exportRun.wallSeconds)} = ${exportRun.invoicesPerSecond} invoices/s`],
      ['  CPU worker / Temporal (avg cores)', `${exportRun.usage.worker.averageCores} / ${exportRun.usage.temporal.averageCores}`],
      ['  CPU seconds per invoice', String(exportRun.cpuSecondsPerInvoice)],
      ['single transfers, all at once', `${burst.invoices} in ${seconds(burst.wallSeconds)} = ${burst.invoicesPerSecond} invoices/s`],
      ['  CPU worker / Temporal (avg cores)', `${burst.usage.worker.averageCores} / ${burst.usage.temporal.averageCores}`],
      ['  CPU seconds per invoice', String(burst.cpuSecondsPerInvoice)],
      ['  CPU worker / Temporal (peak cores)', `${burst.usage.worker.peakCores} / ${burst.usage.temporal.peakCores}`],
      ['pipeline ceiling', `${unthrottled.ceilingInvoicesPerSecond} invoices/s`],
      ['peak RSS worker / Temporal', `${memory.workerPeakRssMiB} / ${memory.temporalPeakRssMiB} MiB (VmHWM ${memory.workerHighWaterRssMiB} / ${memory.temporalHighWaterRssMiB})`],
      [`latency hook → write-back (${latency.samples}, ${latency.gapMs} ms apart)`, `p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms (min ${latency.minMs}, max ${latency.maxMs})`],
    );
  }
  if (baseline !== undefined) {
    section(`4. Naive baseline: ${baseline.invoices} invoices one at a time, Fortnox limit on`);
    rows.push(
      ['wall time', seconds(baseline.wallSeconds)],
      ['Fortnox API calls', `${baseline.fortnox.apiCalls} (${(baseline.fortnox.apiCalls / baseline.invoices).toFixed(2)} per invoice), 429s: ${baseline.fortnox.tooManyRequests}`],
      ['written back to Summa', `${baseline.writtenBack}/${baseline.invoices}`],
      [
        'ours ÷ baseline wall time',
        baseline.oursAsShareOfBaseline === null ? 'n/a (scenario 1 not run at the same size)' : `${baseline.oursAsShareOfBaseline} (baseline ÷ ours: ${baseline.speedup}×)`,
      ],
    );
  }
  if (workerScaling !== undefined) {
    section(`5. One tenant's export, ${workerScaling[0]?.invoices ?? 0} invoices, by worker processes (no process count configured)`);
    for (const run of workerScaling) {
      rows.push([
        `${run.processes} process${run.processes === 1 ? '' : 'es'}`,
        `${seconds(run.wallSeconds)}; ${Math.round(run.limitUtilisation * 100)} % of the limit, busiest 5 s ${run.maxIn5s}/25, 429s ${run.tooManyRequests}, efficiency ${run.efficiency}, ${run.cpuSecondsPerInvoice} CPU-s/invoice`,
      ]);
    }
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => (value === '' ? `\n${label}` : `${label.padEnd(width)}  ${value}`)).join('\n');
}

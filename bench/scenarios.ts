// The benchmark's scenarios through the real pipeline (client API or signed hook → Temporal → worker process →
// Fortnox sandbox → Summa write-back). Each runs on a stack of its own: fresh Temporal, sandboxes and worker.
import { summaControl } from '../src/testkit/summa-control.js';
import { fortnoxControl } from '../src/testkit/fortnox-control.js';
import os from 'node:os';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import { signSummaRequest } from '../src/summa/signature.js';
import { invoiceWorkflowId } from '../src/transfer/index.js';
import { seedAccounts } from '../src/sandbox/fortnox/seed.js';
import { monthEnd } from './data.js';
import { minimumCalls, type MinimumCalls } from './minimum-calls.js';
import { ProcessSampler, round, type ProcessUsage } from './process-stats.js';
import { FORTNOX_LIMIT, summariseRequests, type FortnoxTraffic } from '../src/testkit/fortnox-traffic.js';
import { BENCH_SECRET, startStack, type Stack } from './stack.js';
import { countActivities, percentile, progress, runExports, writtenBack, type ActivityCount } from './transfers.js';
import { loadConfig } from '../src/config/env.js';

/** Calls per endpoint divided by `invoices`, to two decimals. */
export function perInvoice(byEndpoint: Record<string, number>, invoices: number): Record<string, number> {
  return Object.fromEntries(Object.entries(byEndpoint).map(([endpoint, calls]) => [endpoint, round(calls / invoices, 2)]));
}

/** The product's default server-side cap on a tenant's Fortnox activities per second (the bench does not set it). */
const ACTIVITY_CAP = loadConfig({}).FORTNOX_ACTIVITIES_PER_SECOND;

export interface Usage {
  worker: ProcessUsage;
  temporal: ProcessUsage;
  /** This process: the two sandboxes, the hook server and the Temporal client. */
  benchProcess: { cpuSeconds: number; averageCores: number };
}

/** Samples the worker, the Temporal server and this process while `run` runs. */
async function measured<T>(stack: Stack, run: () => Promise<T>): Promise<{ result: T; usage: Usage }> {
  const worker = new SummedSampler(stack.workers.map((each) => new ProcessSampler(each.pid).start()));
  const temporal = new ProcessSampler(stack.temporal.pid).start();
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await run();
    const own = process.cpuUsage(cpu);
    const cpuSeconds = (own.user + own.system) / 1e6;
    const wall = (performance.now() - started) / 1000;
    return { result, usage: { worker: worker.stop(), temporal: temporal.stop(), benchProcess: { cpuSeconds: round(cpuSeconds, 2), averageCores: round(cpuSeconds / wall, 3) } } };
  } finally {
    worker.stop();
    temporal.stop();
  }
}

/** Several worker processes sampled as one: CPU and memory summed (peaks too, so an upper bound). */
class SummedSampler {
  constructor(private readonly samplers: ProcessSampler[]) {}
  stop(): ProcessUsage {
    const each = this.samplers.map((sampler) => sampler.stop());
    const sum = (key: 'cpuSeconds' | 'averageCores' | 'peakCores' | 'peakRssMiB' | 'highWaterRssMiB') => round(each.reduce((total, usage) => total + usage[key], 0), 3);
    return { pid: each[0]?.pid ?? 0, cpuSeconds: sum('cpuSeconds'), averageCores: sum('averageCores'), peakCores: sum('peakCores'), peakRssMiB: sum('peakRssMiB'), highWaterRssMiB: sum('highWaterRssMiB') };
  }
}

export interface ThrottledFigures {
  invoices: number;
  tenants: number;
  wallSeconds: number;
  invoicesPerSecond: number;
  writtenBack: number;
  fortnox: FortnoxTraffic;
  callsPerInvoice: number;
  callsPerInvoiceByEndpoint: Record<string, number>;
  /** Served API calls ÷ wall ÷ tenants: the rate each tenant ran at, against Fortnox's 5 per second. */
  requestsPerSecondPerTenant: number;
  allowedRequestsPerSecondPerTenant: number;
  /** requestsPerSecondPerTenant ÷ 5. */
  limitUtilisation: number;
  /** The shortest wall the calls made could take at 5/s per tenant: served calls per tenant (the busiest) ÷ 5. */
  callsMadeMinimumSeconds: number;
  minimum: MinimumCalls;
  /** The shortest wall any transfer of these invoices could take: minimum calls per tenant (the largest) ÷ 5. */
  minimumSeconds: number;
  /** minimumSeconds ÷ wallSeconds. */
  efficiency: number;
  activities: ActivityCount & {
    fortnoxPerInvoice: number;
    /** Fortnox activities ÷ wall ÷ tenants, against the server-side cap per tenant queue. */
    fortnoxPerSecondPerTenant: number;
    capPerSecondPerTenant: number;
    capUtilisation: number;
  };
  usage: Usage;
  /** (Temporal server + worker CPU seconds) ÷ invoices: what the engine costs per invoice, the sandboxes left out. */
  cpuSecondsPerInvoice: number;
  /** Every activity a transfer ran (task-queue and local) ÷ invoices. */
  activitiesPerInvoice: number;
  /** Which limit set the pace: the one closest to saturation, if any is at ≥ 85 %. */
  ceiling: { cause: 'fortnox-request-limit' | 'activity-cap' | 'cpu' | 'none-saturated'; statement: string };
}

function cpuPerInvoice(usage: Usage, invoices: number): number {
  return round((usage.worker.cpuSeconds + usage.temporal.cpuSeconds) / invoices, 3);
}

async function throttled(stack: Stack, groups: { tenant: string; exportId: string; invoices: SummaInvoice[] }[], label: string): Promise<ThrottledFigures> {
  const invoices = groups.flatMap((group) => group.invoices);
  const { result, usage } = await measured(stack, () => runExports(stack, groups, label));
  const wall = result.wallSeconds;
  const fortnox = summariseRequests(await fortnoxControl(stack.fortnox).requests());
  const activities = await countActivities(stack);
  const served = fortnox.apiCalls - fortnox.tooManyRequests;
  const busiest = Math.max(...Object.values(fortnox.perTenant).map((tenant) => tenant.calls));
  const minimum = minimumCalls(invoices, seedAccounts.length);
  const perTenantMinimum = Math.max(...groups.map((group) => minimumCalls(group.invoices, seedAccounts.length).total));
  const minimumSeconds = perTenantMinimum / FORTNOX_LIMIT.perSecond;
  const requestRate = served / wall / groups.length;
  const activityRate = activities.fortnoxActivities / wall / groups.length;
  const cores = os.cpus().length;
  const busyCores = usage.worker.averageCores + usage.temporal.averageCores + usage.benchProcess.averageCores;
  const candidates = [
    { cause: 'fortnox-request-limit' as const, share: requestRate / FORTNOX_LIMIT.perSecond },
    { cause: 'activity-cap' as const, share: activityRate / ACTIVITY_CAP },
    { cause: 'cpu' as const, share: busyCores / cores },
  ].sort((a, b) => b.share - a.share);
  const top = candidates[0]!;
  const numbers =
    `Fortnox requests ${round(requestRate, 2)}/s per tenant of 5/s (${Math.round((requestRate / FORTNOX_LIMIT.perSecond) * 100)} %); ` +
    `Fortnox activities ${round(activityRate, 2)}/s per tenant of the server-side cap ${ACTIVITY_CAP}/s (${Math.round((activityRate / ACTIVITY_CAP) * 100)} %, ` +
    `${round(activities.fortnoxActivities / invoices.length, 2)} activities per invoice); ` +
    `CPU worker ${usage.worker.averageCores} cores (peak ${usage.worker.peakCores}), Temporal server ${usage.temporal.averageCores} (peak ${usage.temporal.peakCores}), ` +
    `sandboxes+client ${usage.benchProcess.averageCores}: ${round(busyCores, 2)} of ${cores} cores`;
  const statements = {
    'fortnox-request-limit': "Fortnox's request limit per tenant",
    'activity-cap': `the server-side cap on Fortnox activities (FORTNOX_ACTIVITIES_PER_SECOND=${ACTIVITY_CAP} per tenant queue), not Fortnox's request limit`,
    cpu: `CPU (mostly the ${usage.worker.averageCores >= usage.temporal.averageCores ? 'worker' : 'Temporal server'}), not Fortnox's limit`,
  };
  const ceiling: ThrottledFigures['ceiling'] =
    top.share >= 0.85
      ? { cause: top.cause, statement: `${statements[top.cause]}: ${numbers}.` }
      : { cause: 'none-saturated', statement: `No limit saturated; latency × transfers in flight sets the pace: ${numbers}.` };
  return {
    invoices: invoices.length,
    tenants: groups.length,
    wallSeconds: round(wall, 2),
    invoicesPerSecond: round(invoices.length / wall, 3),
    writtenBack: await writtenBack(stack.summa.url, invoices),
    fortnox,
    callsPerInvoice: round(fortnox.apiCalls / invoices.length, 2),
    callsPerInvoiceByEndpoint: perInvoice(fortnox.byEndpoint, invoices.length),
    requestsPerSecondPerTenant: round(requestRate, 3),
    allowedRequestsPerSecondPerTenant: FORTNOX_LIMIT.perSecond,
    limitUtilisation: round(requestRate / FORTNOX_LIMIT.perSecond, 3),
    callsMadeMinimumSeconds: round(busiest / FORTNOX_LIMIT.perSecond, 1),
    minimum,
    minimumSeconds: round(minimumSeconds, 1),
    efficiency: round(minimumSeconds / wall, 3),
    activities: {
      ...activities,
      fortnoxPerInvoice: round(activities.fortnoxActivities / invoices.length, 2),
      fortnoxPerSecondPerTenant: round(activityRate, 3),
      capPerSecondPerTenant: ACTIVITY_CAP,
      capUtilisation: round(activityRate / ACTIVITY_CAP, 3),
    },
    usage,
    cpuSecondsPerInvoice: cpuPerInvoice(usage, invoices.length),
    activitiesPerInvoice: round((activities.fortnoxActivities + activities.otherActivities + activities.localActivities) / invoices.length, 2),
    ceiling,
  };
}

/** Scenario 1: one tenant's month-end export with Fortnox's limit on. */
export async function monthEndExport(bundlePath: string, count: number): Promise<ThrottledFigures> {
  const stack = await startStack({ tenants: { bench: '1' }, fortnoxLimit: true, worker: 'product', bundlePath });
  try {
    return await throttled(stack, [{ tenant: 'bench', exportId: 'month-end', invoices: monthEnd('bench', 'M', count) }], 'scenario 1');
  } finally {
    await stack.stop();
  }
}

export interface WorkerScalingRun {
  processes: number;
  invoices: number;
  wallSeconds: number;
  /** Served calls ÷ wall ÷ 5: the share of Fortnox's limit the one tenant used. */
  limitUtilisation: number;
  /** The most requests Fortnox saw from the tenant in any 5 s (its limit: 25). */
  maxIn5s: number;
  tooManyRequests: number;
  efficiency: number;
  cpuSecondsPerInvoice: number;
}

/**
 * Scenario 5: scenario 1's export served by 1, 2 and 4 worker processes, none told how many there are: they split
 * Fortnox's limit through the budget coordinator (src/worker/fortnox-budget.ts).
 */
export async function workerScaling(bundlePath: string, count: number, processCounts: number[]): Promise<WorkerScalingRun[]> {
  const runs: WorkerScalingRun[] = [];
  for (const processes of processCounts) {
    const stack = await startStack({ tenants: { bench: '1' }, fortnoxLimit: true, worker: 'product', bundlePath, workers: processes });
    try {
      const figures = await throttled(stack, [{ tenant: 'bench', exportId: `month-end-${processes}`, invoices: monthEnd('bench', `W${processes}-`, count) }], `scenario 5 (${processes} processes)`);
      runs.push({
        processes,
        invoices: figures.invoices,
        wallSeconds: figures.wallSeconds,
        limitUtilisation: figures.limitUtilisation,
        maxIn5s: Math.max(...Object.values(figures.fortnox.perTenant).map((tenant) => tenant.maxIn5s)),
        tooManyRequests: figures.fortnox.tooManyRequests,
        efficiency: figures.efficiency,
        cpuSecondsPerInvoice: figures.cpuSecondsPerInvoice,
      });
    } finally {
      await stack.stop();
    }
  }
  return runs;
}

export interface ManyTenantsFigures extends ThrottledFigures {
  /** Aggregate invoices/s ÷ scenario 1's one-tenant invoices/s (ideal: the number of tenants). */
  speedupOverOneTenant: number | null;
  perTenantRequestsPerSecond: { min: number; max: number };
}

/** Scenario 2: `tenants` companies exporting `each` invoices at the same time. */
export async function manyTenants(bundlePath: string, tenants: number, each: number): Promise<ManyTenantsFigures> {
  const keys = Array.from({ length: tenants }, (_, index) => `bench${String(index + 1).padStart(2, '0')}`);
  const stack = await startStack({ tenants: Object.fromEntries(keys.map((key, index) => [key, String(index + 1)])), fortnoxLimit: true, worker: 'product', bundlePath });
  try {
    const groups = keys.map((tenant) => ({ tenant, exportId: 'month-end', invoices: monthEnd(tenant, 'M', each) }));
    const figures = await throttled(stack, groups, 'scenario 2');
    const rates = Object.values(figures.fortnox.perTenant).map((tenant) => tenant.calls / figures.wallSeconds);
    return {
      ...figures,
      speedupOverOneTenant: null, // set by the caller, from scenario 1
      perTenantRequestsPerSecond: { min: round(Math.min(...rates), 3), max: round(Math.max(...rates), 3) },
    };
  } finally {
    await stack.stop();
  }
}

export interface UnthrottledFigures {
  settings: string;
  /** One export, as scenario 1 but without limits: bounded by the export's 8 transfers at a time. */
  export: { invoices: number; wallSeconds: number; invoicesPerSecond: number; cpuSecondsPerInvoice: number; usage: Usage };
  /** Single transfers all started at once through the client API: the worker's and Temporal's own ceiling. */
  burst: { invoices: number; wallSeconds: number; invoicesPerSecond: number; cpuSecondsPerInvoice: number; usage: Usage };
  ceilingInvoicesPerSecond: number;
  /** Resident memory over the whole scenario: highest sample of VmRSS, and the kernel's high-water mark VmHWM. */
  memory: { workerPeakRssMiB: number; workerHighWaterRssMiB: number; temporalPeakRssMiB: number; temporalHighWaterRssMiB: number };
  /** Hook POST → Summa has the `transferred` write-back, one invoice at a time. */
  latency: { samples: number; gapMs: number; p50Ms: number; p95Ms: number; minMs: number; maxMs: number; meanMs: number };
  fortnox: FortnoxTraffic;
}

/** Scenario 3: no limits anywhere — what the pipeline itself can do on this machine. */
export async function unthrottled(bundlePath: string, throughput: number, latencySamples: number): Promise<UnthrottledFigures> {
  const stack = await startStack({
    tenants: { bench: '1' },
    fortnoxLimit: false,
    worker: 'unthrottled',
    workerEnv: { FORTNOX_ACTIVITIES_PER_SECOND: '100000', BENCH_CLIENT_REQUESTS_PER_SECOND: '1000000' },
    bundlePath,
    hook: true,
  });
  const memory = { worker: new ProcessSampler(stack.worker.pid).start(), temporal: new ProcessSampler(stack.temporal.pid).start() };
  try {
    const exportRun = await measured(stack, () => runExports(stack, [{ tenant: 'bench', exportId: 'fast', invoices: monthEnd('bench', 'X', throughput) }], 'scenario 3 export'));

    const burstInvoices = monthEnd('bench', 'B', throughput);
    const burstRun = await measured(stack, async () => {
      const stopProgress = progress(async () => `scenario 3 burst: ${await writtenBack(stack.summa.url, burstInvoices)}/${burstInvoices.length} written back`);
      try {
        const started = performance.now();
        const pending = [...burstInvoices];
        // Sixteen starts in flight at a time, as several hook deliveries would arrive; the transfers all run at once.
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            for (let invoice = pending.shift(); invoice !== undefined; invoice = pending.shift()) await stack.service.transfer(invoice);
          }),
        );
        await Promise.all(burstInvoices.map((invoice) => stack.client.workflow.getHandle(invoiceWorkflowId(invoice.tenant, invoice.invoiceId)).result()));
        return (performance.now() - started) / 1000;
      } finally {
        stopProgress();
      }
    });

    await fetch(`${stack.summa.url}/sandbox/reset`, { method: 'POST' });
    const gapMs = 200;
    const latencies: number[] = [];
    for (const invoice of monthEnd('bench', 'L', latencySamples)) {
      const body = JSON.stringify(invoice);
      const sent = Date.now();
      const response = await fetch(`${stack.hook?.url ?? ''}/hooks/summa/invoices`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...signSummaRequest(BENCH_SECRET, { method: 'POST', path: '/hooks/summa/invoices', body }, { tenant: invoice.tenant }) },
        body,
      });
      if (response.status !== 202) throw new Error(`hook answered ${response.status}: ${await response.text()}`);
      const deadline = sent + 60_000;
      for (;;) {
        const update = (await summaControl(stack.summa.url).latest('bench'))[`bench/${invoice.invoiceId}`];
        if (update?.status === 'transferred') {
          latencies.push(Date.parse(update.receivedAt) - sent);
          break;
        }
        if (Date.now() > deadline) throw new Error(`invoice ${invoice.invoiceId} was not written back within 60 s:\n${stack.workerOutput()}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    const workerMemory = memory.worker.stop();
    const temporalMemory = memory.temporal.stop();
    const exportFigures = { invoices: throughput, wallSeconds: round(exportRun.result.wallSeconds, 2), invoicesPerSecond: round(throughput / exportRun.result.wallSeconds, 2), cpuSecondsPerInvoice: cpuPerInvoice(exportRun.usage, throughput), usage: exportRun.usage };
    const burstFigures = { invoices: throughput, wallSeconds: round(burstRun.result, 2), invoicesPerSecond: round(throughput / burstRun.result, 2), cpuSecondsPerInvoice: cpuPerInvoice(burstRun.usage, throughput), usage: burstRun.usage };
    return {
      settings: 'sandbox limit off; worker client limit 1 000 000 requests/s (bench/unthrottled-worker.ts); FORTNOX_ACTIVITIES_PER_SECOND=100000',
      export: exportFigures,
      burst: burstFigures,
      ceilingInvoicesPerSecond: Math.max(exportFigures.invoicesPerSecond, burstFigures.invoicesPerSecond),
      memory: {
        workerPeakRssMiB: workerMemory.peakRssMiB,
        workerHighWaterRssMiB: workerMemory.highWaterRssMiB,
        temporalPeakRssMiB: temporalMemory.peakRssMiB,
        temporalHighWaterRssMiB: temporalMemory.highWaterRssMiB,
      },
      latency: {
        samples: latencies.length,
        gapMs,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        minMs: Math.min(...latencies),
        maxMs: Math.max(...latencies),
        meanMs: Math.round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length),
      },
      fortnox: summariseRequests(await fortnoxControl(stack.fortnox).requests()),
    };
  } finally {
    memory.worker.stop();
    memory.temporal.stop();
    await stack.stop();
  }
}

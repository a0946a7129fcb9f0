// `npm run bench`: how fast invoices go from Summa into Fortnox through the real pipeline, against the Fortnox
// sandbox with Fortnox's rate limit on, and how that compares with the limit itself and with a naive loop.
//
//   npm run bench                         # full run (~15–20 min on 2 cores), writes bench/results/<date>-<host>.json
//   npm run bench -- --smoke              # tiny sizes, under a minute; writes to the temp directory unless --out
//   npm run bench -- --only 1,4 --out x.json
//
// Scenarios: 1 month-end export (one tenant), 2 ten tenants at once, 3 unthrottled (the pipeline's own ceiling and
// hook-to-write-back latency), 4 the naive baseline. Each starts its own in-memory Temporal dev server, sandboxes
// and worker process (bench/stack.ts); the naive baseline runs alongside scenario 1, on its own sandbox.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/paths.js';
import { BASELINE_STEPS, runBaseline } from '../bench/baseline.js';
import { monthEnd } from '../bench/data.js';
import { round } from '../bench/process-stats.js';
import { machineInfo, productCodeState, settings, table, type BenchResults } from '../bench/report.js';
import { manyTenants, monthEndExport, unthrottled, workerScaling } from '../bench/scenarios.js';
import { writeWorkflowBundle } from '../bench/workflow-bundle.js';

const FULL = { monthEnd: 300, tenants: 10, perTenant: 100, throughput: 300, latency: 30, baseline: 300, scaling: 200, scalingProcesses: [1, 2, 4] };
// Small enough to finish in well under a minute with Fortnox's limit on (scenarios run at once), big enough that
// every figure is real.
const SMOKE = { monthEnd: 10, tenants: 2, perTenant: 5, throughput: 10, latency: 5, baseline: 10, scaling: 10, scalingProcesses: [2] };

/** Whether the product code (committed trees, uncommitted diff, untracked files) differs from when the run began. */
function codeChanged(atStart: BenchResults['machine']): boolean {
  const now = productCodeState();
  return (
    now.productTrees !== atStart.productTrees ||
    now.productDiffHash !== atStart.productDiffHash ||
    now.untrackedProductFiles.join() !== atStart.untrackedProductFiles.join()
  );
}

const elapsed = (since: number) => `${Math.round((performance.now() - since) / 1000)} s`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { smoke: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' } },
  });
  const sizes = values.smoke ? SMOKE : FULL;
  const only = new Set((values.only ?? '1,2,3,4,5').split(',').map((item) => item.trim()));
  for (const item of only) if (!['1', '2', '3', '4', '5'].includes(item)) throw new Error(`--only takes 1, 2, 3, 4 and 5, comma-separated; got ${item}`);
  const machine = machineInfo();
  const out =
    values.out ??
    (values.smoke
      ? path.join(os.tmpdir(), `summa-fortnox-bench-smoke-${process.pid}.json`)
      : path.join(projectRoot, 'bench', 'results', `${machine.date.slice(0, 10)}-${machine.host.replace(/[^A-Za-z0-9.-]/g, '_')}.json`));

  const started = performance.now();
  console.error(`[${elapsed(started)}] Bundling the workflows …`);
  const bundle = await writeWorkflowBundle();
  try {
    await runScenarios(values.smoke, sizes, only, bundle.path, machine, out, started);
  } finally {
    bundle.remove();
  }
}

async function runScenarios(
  smoke: boolean,
  sizes: typeof FULL,
  only: Set<string>,
  bundlePath: string,
  machine: BenchResults['machine'],
  out: string,
  started: number,
): Promise<void> {
  const scenarios: BenchResults['scenarios'] = {};
  // 1 and 4 run side by side: both spend their time waiting on their own sandbox's rate limit (a few requests per
  // second, a few per cent of a core), so together they take as long as the slower, neither measurably slowed.
  const firstAndBaseline = async () => {
    if (!only.has('1') && !only.has('4')) return;
    console.error(`[${elapsed(started)}] Scenario 1 (${sizes.monthEnd} invoices, one tenant)${only.has('4') ? ` alongside scenario 4 (naive baseline, ${sizes.baseline})` : ''} …`);
    const [first, naive] = await Promise.all([
      only.has('1') ? monthEndExport(bundlePath, sizes.monthEnd) : Promise.resolve(undefined),
      only.has('4') ? runBaseline(monthEnd('bench', 'M', sizes.baseline), 'bench') : Promise.resolve(undefined),
    ]);
    if (first !== undefined) scenarios.monthEnd = first;
    if (naive !== undefined) {
      const comparable = first !== undefined && first.invoices === naive.invoices;
      scenarios.baseline = {
        ...naive,
        wallSeconds: round(naive.wallSeconds, 2),
        invoicesPerSecond: round(naive.invoicesPerSecond, 3),
        steps: BASELINE_STEPS,
        oursAsShareOfBaseline: comparable ? round(first.wallSeconds / naive.wallSeconds, 3) : null,
        speedup: comparable ? round(naive.wallSeconds / first.wallSeconds, 2) : null,
      };
    }
  };
  const second = async () => {
    if (!only.has('2')) return;
    console.error(`[${elapsed(started)}] Scenario 2 (${sizes.tenants} tenants × ${sizes.perTenant}) …`);
    scenarios.manyTenants = await manyTenants(bundlePath, sizes.tenants, sizes.perTenant);
  };
  const third = async () => {
    if (!only.has('3')) return;
    console.error(`[${elapsed(started)}] Scenario 3 (unthrottled: ${sizes.throughput} invoices twice, ${sizes.latency} latency samples) …`);
    scenarios.unthrottled = await unthrottled(bundlePath, sizes.throughput, sizes.latency);
  };
  const fifth = async () => {
    if (!only.has('5')) return;
    console.error(`[${elapsed(started)}] Scenario 5 (${sizes.scaling} invoices, one tenant, ${sizes.scalingProcesses.join(' / ')} worker processes) …`);
    scenarios.workerScaling = await workerScaling(bundlePath, sizes.scaling, sizes.scalingProcesses);
  };
  if (smoke) {
    // The smoke run checks that every figure comes out, not what it is: all scenarios at once, to stay short.
    await Promise.all([firstAndBaseline(), second(), third(), fifth()]);
  } else {
    await firstAndBaseline();
    await second();
    await third();
    await fifth();
  }
  if (scenarios.manyTenants !== undefined && scenarios.monthEnd !== undefined) {
    scenarios.manyTenants.speedupOverOneTenant = round(scenarios.manyTenants.invoicesPerSecond / scenarios.monthEnd.invoicesPerSecond, 2);
  }

  const results: BenchResults = {
    kind: smoke ? 'smoke' : 'full',
    machine,
    settings: settings(),
    productCodeChangedDuringRun: codeChanged(machine),
    sizes,
    totalSeconds: round((performance.now() - started) / 1000, 1),
    scenariosRanConcurrently: smoke ? 'all (smoke run)' : '1 and 4 side by side; then 2; then 3; then 5',
    scenarios,
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(results));
  if (results.productCodeChangedDuringRun) console.log('\nWARNING: the product code changed while the benchmark ran; scenarios may have measured different code.');
  console.log(`\n${results.kind} run on ${machine.cpuModel} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ${results.totalSeconds} s; figures in ${out}`);
}

// Stopped from outside: exit normally, so that bench/stack.ts's exit hook kills the worker and Temporal server.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

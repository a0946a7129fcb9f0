import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/http/free-port.js';
import { startFortnoxSandbox, type FortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { startSummaSandbox, type SummaSandbox } from '../../src/sandbox/summa/index.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import { summaControl } from '../../src/testkit/summa-control.js';
import { serviceAccounts, startWorkerProcess, workerEnvironment, type WorkerProcess } from '../../src/testkit/worker-process.js';
import { anInvoice } from '../helpers/invoices.js';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { freshClone } from '../helpers/fresh-clone.js';
import { processesInGroup } from '../helpers/processes.js';

/*
 * Production as the Dockerfile runs it: `npm run build` in a fresh clone, then the compiled worker and hook started
 * with plain `node dist/…` (no tsx, no bundling at start), against the run's Temporal and the sandboxes, each with
 * METRICS_PORT. One invoice goes in through the hook as Summa sends it; Fortnox's copy is read back, and both
 * processes' /metrics and /healthz are scraped.
 */

const SECRET = 'production-secret-0123456789';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** The Prometheus samples of `text` for `metric` whose labels include all of `labels`, summed. */
function sample(text: string, metric: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('production: npm run build, then the compiled worker and hook', () => {
  let clone: string;
  let dataDir: string;
  let fortnox: FortnoxSandbox;
  let summa: SummaSandbox;
  let worker: WorkerProcess | undefined;
  let hook: ChildProcess | undefined;
  let hookOutput = '';
  const taskQueue = `production-${process.pid}`;

  beforeAll(async () => {
    clone = freshClone();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'production-data-'));
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: clone, stdio: 'pipe', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() } });
    fortnox = await startFortnoxSandbox({});
    summa = await startSummaSandbox({ secretFor: () => SECRET });
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    if (hook?.pid !== undefined && processesInGroup(hook.pid).length > 0) process.kill(-hook.pid, 'SIGKILL');
    await fortnox?.close();
    await summa?.close();
    rmSync(clone, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds dist/ and the workflow bundle, and the compiled code needs only production dependencies', () => {
    expect(existsSync(path.join(clone, 'dist', 'workflow-bundle.js'))).toBe(true);
    for (const entry of ['worker', 'hook', 'summa-fortnox']) expect(existsSync(path.join(clone, 'dist', 'src', 'cli', `${entry}.js`)), entry).toBe(true);
    // What `npm ci --omit=dev` in the Dockerfile's last stage leaves is enough for what dist/ imports.
    const { dependencies } = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set<string>();
    for (const file of filesUnder(path.join(clone, 'dist')).filter((name) => name.endsWith('.js') && !name.endsWith('workflow-bundle.js'))) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|\bimport\('([^']+)'\)/g)) {
        if (specifier === undefined || specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
      }
    }
    expect(imported.size).toBeGreaterThan(3);
    expect([...imported].filter((name) => !Object.hasOwn(dependencies, name))).toEqual([]);
  });

  it('transfers an invoice sent to the hook, with metrics and health on METRICS_PORT', { timeout: 150_000 }, async () => {
    const [workerMetricsPort, hookMetricsPort, hookPort] = [await freePort(), await freePort(), await freePort()];
    const environment = workerEnvironment({
      temporalAddress: inject('temporalAddress'),
      namespace: inject('temporalNamespace'),
      taskQueue,
      bundlePath: '',
      fortnoxUrl: fortnox.url,
      summaUrl: summa.url,
      summaSecret: SECRET,
      tenants: serviceAccounts({ demo: '1' }),
      dataDir,
    });
    // No WORKFLOW_BUNDLE: compiled code loads the bundle `npm run build` wrote.
    const production = Object.fromEntries(Object.entries(environment).filter(([name]) => name !== 'WORKFLOW_BUNDLE'));
    worker = await startWorkerProcess({ ...production, METRICS_PORT: String(workerMetricsPort) }, path.join(clone, 'dist', 'src', 'cli', 'worker.js'));
    expect(worker.output()).not.toMatch(/Workflow bundle created|webpack/);
    const workerMetrics = `http://127.0.0.1:${workerMetricsPort}`;
    const health = await fetch(`${workerMetrics}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    hook = spawn(process.execPath, [path.join(clone, 'dist', 'src', 'cli', 'hook.js')], {
      cwd: clone,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...production, HOOK_PORT: String(hookPort), METRICS_PORT: String(hookMetricsPort) },
    });
    hook.stdout?.on('data', (chunk: Buffer) => (hookOutput += chunk.toString()));
    hook.stderr?.on('data', (chunk: Buffer) => (hookOutput += chunk.toString()));
    for (const deadline = Date.now() + 30_000; !hookOutput.includes('Hook server'); await sleep(100)) {
      if (hook.exitCode !== null || Date.now() > deadline) throw new Error(`the compiled hook did not come up:\n${hookOutput}`);
    }
    expect(hookOutput).toContain(`metrics at http://127.0.0.1:${hookMetricsPort}/metrics`);

    const invoice = anInvoice({ tenant: 'demo' });
    const body = JSON.stringify(invoice);
    const sent = await fetch(`http://127.0.0.1:${hookPort}/hooks/summa/invoices`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...signSummaRequest(SECRET, { method: 'POST', path: '/hooks/summa/invoices', body }, { tenant: 'demo' }) },
    });
    expect(sent.status, await sent.clone().text()).toBe(202);
    const unsigned = await fetch(`http://127.0.0.1:${hookPort}/hooks/summa/invoices`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(unsigned.status).toBe(401);

    const key = `demo/${invoice.invoiceId}`;
    let told = (await summaControl(summa).latest('demo'))[key];
    for (const deadline = Date.now() + 60_000; told?.status !== 'transferred'; await sleep(200)) {
      if (Date.now() > deadline) throw new Error(`no write-back for ${invoice.invoiceId} (last ${JSON.stringify(told)}):\n${worker.output()}`);
      told = (await summaControl(summa).latest('demo'))[key];
    }
    // As the accountant sees it: Fortnox's invoice carries Summa's rows and amounts (2 500 + 3 000 net; 625 + 180 VAT).
    const inFortnox = await sandboxClient(fortnox, '1').invoices.get(told.fortnoxInvoiceNumber ?? '');
    expect(inFortnox).toMatchObject({ ExternalInvoiceReference1: invoice.invoiceId, Net: 5500, TotalVAT: 805, Total: 6305, Currency: 'SEK' });

    // Workflow metrics reach the endpoint when the worker's runtime exports them: poll briefly.
    let scraped = '';
    for (const deadline = Date.now() + 15_000; sample(scraped, 'summa_fortnox_transfers_total', { tenant: 'demo', outcome: 'transferred' }) < 1; await sleep(250)) {
      if (Date.now() > deadline) throw new Error(`no transfer counted:\n${scraped}`);
      scraped = await (await fetch(`${workerMetrics}/metrics`)).text();
    }
    expect(sample(scraped, 'summa_fortnox_transfers_total', { tenant: 'demo', outcome: 'transferred', taskQueue })).toBe(1);
    expect(sample(scraped, 'summa_fortnox_needs_attention_total', { tenant: 'demo' })).toBe(0);
    expect(sample(scraped, 'summa_fortnox_fortnox_requests_total', { tenant: 'demo', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(sample(scraped, 'summa_fortnox_fortnox_requests_total', { tenant: 'demo', status: '429' })).toBe(0);
    expect(sample(scraped, 'summa_fortnox_hook_to_write_back_ms_count', { tenant: 'demo' })).toBe(1);
    // Temporal's own worker metrics beside ours.
    expect(scraped).toMatch(/^temporal_workflow_completed\{/m);
    expect(scraped).toMatch(/^temporal_activity_execution_latency_bucket\{/m);

    const hookScraped = await (await fetch(`http://127.0.0.1:${hookMetricsPort}/metrics`)).text();
    expect(sample(hookScraped, 'summa_fortnox_hook_requests_total', { route: 'invoice', status: '202' })).toBe(1);
    expect(sample(hookScraped, 'summa_fortnox_hook_requests_total', { route: 'invoice', status: '401' })).toBe(1);
    expect((await fetch(`http://127.0.0.1:${hookMetricsPort}/healthz`)).status).toBe(200);

    // SIGTERM, as a container runtime stops them: both exit on their own.
    await worker.stop();
    expect(worker.child.exitCode, worker.output()).toBe(0);
    process.kill(-hook.pid!, 'SIGTERM');
    for (const deadline = Date.now() + 15_000; processesInGroup(hook.pid!).length > 0 && Date.now() < deadline; ) await sleep(100);
    expect(processesInGroup(hook.pid!)).toEqual([]);
    expect(hookOutput).toContain('Stopped.');
  });
});

// The chaos run: invoices from Summa through the hook into Fortnox while everything around the integration fails —
// Fortnox answers 5xx and 429, carries out writes and drops the answer, stalls; the worker is SIGKILLed and
// restarted; the Temporal dev server (persisted in SQLite) is stopped and started again; the hook server is
// restarted. Then the audit (audit.ts) says whether anything was lost or duplicated.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { createTransferService } from '../../src/client/transfer-service.js';
import { generatePayloadKey } from '../../src/codec/keys.js';
import { loadConfig } from '../../src/config/env.js';
import { createHookServer, type HookServer } from '../../src/hook/server.js';
import { freePort } from '../../src/http/free-port.js';
import { startFortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import { seededRandom, type Fault } from '../../src/sandbox/fortnox/faults.js';
import { startSummaSandbox } from '../../src/sandbox/summa/index.js';
import type { SummaInvoice } from '../../src/summa/invoice-contract.js';
import { requireTemporalCli } from '../../src/temporal/cli.js';
import { encryptingDataConverter } from '../../src/temporal/data-converter.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { searchAttributes } from '../../src/transfer/index.js';
import { monthEnd } from '../data.js';
import { fortnoxControl } from '../../src/testkit/fortnox-control.js';
import { writtenBack } from '../transfers.js';
import { killOnExit, serviceAccounts, startWorkerProcess, workerEnvironment, type WorkerProcess } from '../../src/testkit/worker-process.js';
import { audit, type Audit } from './audit.js';
import { chaosFaults, type FaultKind, type FaultRates } from './faults.js';
import { deliverAll, type Delivery, type OutboxFigures } from './summa-outbox.js';

export const CHAOS_SECRET = 'chaos-summa-secret-0123456789';
const TASK_QUEUE = 'summa-fortnox-chaos';

export interface ChaosOptions {
  invoices: number;
  tenants: number;
  /** Share of each tenant's invoices sent as one fakturaexport rather than one by one. */
  exportShare: number;
  workerKills: number;
  seed: number;
  /** Summa sends the deliveries evenly over this many seconds. */
  sendingSeconds: number;
  faults: FaultRates;
  bundlePath: string;
  /** How long to wait for every invoice to settle after the last disruption, in ms. */
  settleTimeoutMs: number;
  log: (line: string) => void;
}

export interface Disruption {
  kind: 'workerKill' | 'temporalRestart' | 'hookRestart';
  /** When it happened, in seconds from the start, and how far the run had come. */
  atSeconds: number;
  progress: string;
  /** How long the part was away, in seconds. */
  downSeconds: number;
}

export interface ChaosReport {
  seed: number;
  invoices: number;
  tenants: number;
  singles: number;
  exports: number;
  wallSeconds: number;
  faultsInjected: Record<FaultKind, number>;
  fortnoxCalls: number;
  disruptions: Disruption[];
  /** Worker exits nobody asked for (restarted by the run, as a supervisor would). */
  unexpectedWorkerExits: number;
  outbox: OutboxFigures;
  audit: Audit;
}

/** Each tenant's month end: the first invoices one by one (status switched to "faktura"), the rest as one export. */
function deliveriesFor(tenantKeys: readonly string[], options: ChaosOptions): { invoices: SummaInvoice[]; deliveries: Delivery[] } {
  const invoices: SummaInvoice[] = [];
  const deliveries: Delivery[] = [];
  tenantKeys.forEach((tenant, index) => {
    const count = Math.floor(options.invoices / tenantKeys.length) + (index < options.invoices % tenantKeys.length ? 1 : 0);
    const mine = monthEnd(tenant, `C${index}`, count);
    const exported = Math.round(count * options.exportShare);
    const singles = mine.slice(0, count - exported);
    invoices.push(...mine);
    deliveries.push(...singles.map((invoice) => ({ kind: 'invoice' as const, invoice })));
    if (exported > 0) deliveries.push({ kind: 'export', tenant, exportId: `chaos-${tenant}`, invoices: mine.slice(count - exported) });
  });
  // Summa's users work in no particular order: singles and exports interleave, tenants mix.
  const random = seededRandom(options.seed);
  for (let index = deliveries.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [deliveries[index], deliveries[other]] = [deliveries[other] as Delivery, deliveries[index] as Delivery];
  }
  return { invoices, deliveries };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const random = seededRandom(options.seed + 1);
  const undo: (() => Promise<unknown>)[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-chaos-'));
  undo.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  try {
    const tenants = Object.fromEntries(Array.from({ length: options.tenants }, (_, index) => [`chaos${index + 1}`, String(index + 1)]));
    const { invoices, deliveries } = deliveriesFor(Object.keys(tenants), options);

    // Temporal, persisted so it can be stopped and started again with everything it knew.
    const config = loadConfig();
    const temporalOptions = {
      cli: requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH }),
      port: await freePort(),
      dbFile: path.join(dir, 'temporal.db'),
      namespace: 'default',
      searchAttributes,
    };
    let temporal: DevServer = await startDevServer(temporalOptions);
    let forgetTemporal = killOnExit(temporal.pid);
    undo.push(async () => {
      await temporal.stop();
      forgetTemporal();
    });

    // Fortnox with its rate limit on and the faults armed; Summa to receive the write-backs.
    const fortnox = await startFortnoxSandbox({ tenants: Object.values(tenants) });
    undo.push(() => fortnox.close());
    const summa = await startSummaSandbox({ secretFor: (tenant) => (Object.hasOwn(tenants, tenant) ? CHAOS_SECRET : undefined) });
    undo.push(() => summa.close());
    const armed = chaosFaults(options.faults, options.seed);
    const faultIds = new Map<string, FaultKind>();
    for (const { kind, input } of armed) {
      const response = await fetch(`${fortnox.url}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
      if (!response.ok) throw new Error(`the sandbox refused fault ${JSON.stringify(input)}: ${await response.text()}`);
      faultIds.set(((await response.json()) as { id: string }).id, kind);
    }

    // Payloads and failures encrypted, as in production: the worker and the hook's client share the key.
    const key = generatePayloadKey();
    const dataConverter = encryptingDataConverter([key]);

    // The worker, supervised: whenever it dies it is started again, as systemd or Kubernetes would.
    const workerEnv = {
      ...workerEnvironment({
        temporalAddress: temporal.address,
        taskQueue: TASK_QUEUE,
        bundlePath: options.bundlePath,
        fortnoxUrl: fortnox.url,
        summaUrl: summa.url,
        summaSecret: CHAOS_SECRET,
        tenants: serviceAccounts(tenants),
        dataDir: dir,
      }),
      PAYLOAD_KEYS: `${key.id}:${key.key.toString('base64')}`,
    };
    let worker: WorkerProcess = await startWorkerProcess(workerEnv);
    let stopping = false;
    let killing = false;
    let unexpectedWorkerExits = 0;
    const supervise = (running: WorkerProcess) => {
      void running.exited.then(async () => {
        if (stopping || killing) return;
        unexpectedWorkerExits += 1;
        options.log(`worker exited on its own:\n${running.output().slice(-2_000)}`);
        worker = await startWorkerProcess(workerEnv);
        supervise(worker);
      });
    };
    supervise(worker);
    undo.push(async () => {
      stopping = true;
      await worker.stop();
    });

    // The hook, on a fixed port so that Summa's retries reach it again after its restart.
    const connection = await Connection.connect({ address: temporal.address });
    undo.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default', dataConverter });
    const service = createTransferService({ client, taskQueue: TASK_QUEUE });
    const hookPort = await freePort();
    const startHook = () => createHookServer({ transfers: service, secretFor: (tenant) => (Object.hasOwn(tenants, tenant) ? CHAOS_SECRET : undefined), port: hookPort, log: () => undefined });
    let hook: HookServer = await startHook();
    undo.push(() => hook.close());
    options.log(`[${seconds()} s] ${invoices.length} invoices of ${options.tenants} tenants in ${deliveries.length} deliveries; Temporal ${temporal.address}, hook ${hook.url}`);

    // The disruptions, at random points of the run: the hook and Temporal restarts while Summa is still sending
    // (Summa meets a refused connection, then 503s), the worker kills while invoices are being transferred.
    const disruptions: Disruption[] = [];
    let accepted = 0;
    let transferred = 0;
    const progress = () => `${accepted}/${deliveries.length} delivered, ${transferred}/${invoices.length} transferred`;
    const delivered = (threshold: number) => () => accepted / deliveries.length >= threshold;
    const transferredShare = (threshold: number) => () => transferred / invoices.length >= threshold;
    const plan = [
      { kind: 'hookRestart' as const, at: delivered(0.15 + random() * 0.3) },
      { kind: 'temporalRestart' as const, at: delivered(0.55 + random() * 0.3) },
      ...Array.from({ length: options.workerKills }, () => ({ kind: 'workerKill' as const, at: transferredShare(0.05 + random() * 0.8) })),
    ];
    const disrupt = async (kind: Disruption['kind']) => {
      const at = seconds();
      const down = performance.now();
      const record = () => disruptions.push({ kind, atSeconds: at, progress: progress(), downSeconds: Math.round((performance.now() - down) / 100) / 10 });
      if (kind === 'hookRestart') {
        await hook.close();
        await sleep(2_000);
        hook = await startHook();
      } else if (kind === 'workerKill') {
        killing = true;
        await sleep(random() * 1_500); // a random moment, not the poll's
        await worker.kill();
        await sleep(1_000 + random() * 2_000);
        worker = await startWorkerProcess(workerEnv);
        supervise(worker);
        killing = false;
      } else {
        await temporal.stop();
        forgetTemporal();
        await sleep(3_000);
        temporal = await startDevServer(temporalOptions);
        forgetTemporal = killOnExit(temporal.pid);
      }
      record();
      options.log(`[${at} s] ${kind} (${progress()})`);
    };

    let delivering = true;
    const outbox = deliverAll({ hookUrl: hook.url, secret: CHAOS_SECRET, deliveries, concurrency: 8, spreadOverMs: options.sendingSeconds * 1_000, onAccepted: (count) => (accepted = count) }).finally(
      () => (delivering = false),
    );
    const pending = [...plan];
    let lastProgressLog = 0;
    let lastChange = { transferred: -1, at: performance.now() };
    for (;;) {
      transferred = await writtenBack(summa.url, invoices).catch(() => transferred);
      if (transferred !== lastChange.transferred) lastChange = { transferred, at: performance.now() };
      // Disruptions still due when the run has nothing left to do (all done, or the rest waiting for a person)
      // happen anyway: the audit then also shows that recovery from them loses nothing.
      const idle = !delivering && (transferred === invoices.length || performance.now() - lastChange.at > 30_000);
      const due = pending.findIndex((step) => step.at() || idle);
      if (due >= 0) {
        const [step] = pending.splice(due, 1);
        if (step !== undefined) await disrupt(step.kind);
        continue;
      }
      if (!delivering && pending.length === 0) break;
      if (seconds() - lastProgressLog >= 15) {
        lastProgressLog = seconds();
        options.log(`[${lastProgressLog} s] ${progress()}`);
      }
      await sleep(500);
    }
    const outboxFigures = await outbox;

    // Settle: every invoice written back or waiting for a person, then the audit.
    const settleBy = Date.now() + options.settleTimeoutMs;
    for (;;) {
      transferred = await writtenBack(summa.url, invoices);
      const waiting = (await client.workflow.count(`TaskQueue = '${TASK_QUEUE}' AND TransferStatus = 'NeedsAttention' AND ExecutionStatus = 'Running'`)).count;
      const exportsRunning = (await client.workflow.count(`TaskQueue = '${TASK_QUEUE}' AND WorkflowType = 'invoiceExport' AND ExecutionStatus = 'Running'`)).count;
      if ((transferred + waiting >= invoices.length && exportsRunning === 0) || Date.now() > settleBy) break;
      if (seconds() - lastProgressLog >= 15) {
        lastProgressLog = seconds();
        options.log(`[${lastProgressLog} s] settling: ${transferred} transferred, ${waiting} need attention, ${exportsRunning} exports running`);
      }
      await sleep(1_000);
    }
    const wallSeconds = seconds();
    const result = await audit({ invoices, tenants, fortnoxUrl: fortnox.url, summaUrl: summa.url, client, service, taskQueue: TASK_QUEUE });

    const faults = (await (await fetch(`${fortnox.url}/sandbox/faults`)).json()) as Fault[];
    const faultsInjected: Record<FaultKind, number> = { applyThenDrop: 0, '5xx': 0, '429': 0, latency: 0 };
    for (const fault of faults) {
      const kind = faultIds.get(fault.id);
      if (kind !== undefined) faultsInjected[kind] += fault.hits;
    }
    const requests = await fortnoxControl(fortnox).requests();
    return {
      seed: options.seed,
      invoices: invoices.length,
      tenants: options.tenants,
      singles: deliveries.filter((delivery) => delivery.kind === 'invoice').length,
      exports: deliveries.filter((delivery) => delivery.kind === 'export').length,
      wallSeconds,
      faultsInjected,
      fortnoxCalls: requests.filter((request) => request.path.startsWith('/3/')).length,
      disruptions,
      unexpectedWorkerExits,
      outbox: outboxFigures,
      audit: result,
    };
  } finally {
    for (const step of undo.reverse()) await step().catch((error: unknown) => options.log(`chaos: stopping failed: ${String(error)}`));
  }
}

import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { createTransferService } from '../../src/client/transfer-service.js';
import { SANDBOX_CLIENT, startFortnoxSandbox, type FortnoxSandbox, type FortnoxSandboxOptions } from '../../src/sandbox/fortnox/index.js';
import { startSummaSandbox, type SummaSandbox } from '../../src/sandbox/summa/index.js';
import { DEFAULT_POSTING, fixedTenants, type PostingOptions, type TenantSettings } from '../../src/config/tenants.js';
import { invoiceWorkflowId, type TransferService } from '../../src/transfer/index.js';
import type { invoiceTransfer, InvoiceTransferResult, TransferTiming } from '../../workflows/invoice-transfer.js';
import { createWorker, type IntegrationWorker } from '../../src/worker/index.js';
import { fortnoxControl, type FortnoxControl } from '../../src/testkit/fortnox-control.js';

export const TEST_SECRET = 'test-secret-0123456789';

export interface Pipeline {
  fortnox: FortnoxSandbox;
  fortnoxControl: FortnoxControl;
  summa: SummaSandbox;
  client: Client;
  service: TransferService;
  taskQueue: string;
  /** Puts the Fortnox sandbox back to its seed, and makes the workers forget what they cached of it. */
  resetFortnox(): Promise<void>;
  /** Waits for the invoice's transfer to finish; fails at once, with its message, if it needs attention. */
  transferred(tenant: string, invoiceId: string): Promise<InvoiceTransferResult>;
  /** Starts a worker in this process (the pipeline starts one; tests that kill workers start their own). */
  startWorker(): Promise<IntegrationWorker>;
  stop(): Promise<void>;
}

/**
 * The whole integration on real parts: the run's Temporal dev server, a real worker with the prebuilt bundle, the
 * Fortnox and Summa sandboxes over real HTTP, and the Temporal-backed transfer service. A fresh task queue keeps
 * test files apart on the shared server.
 */
export async function startPipeline(
  options: {
    tenants?: Record<string, string>;
    fortnox?: FortnoxSandboxOptions;
    worker?: boolean;
    posting?: Record<string, Partial<PostingOptions>>;
    /** Encryption for the client and workers (the run's bundle carries the failure converter). */
    codec?: { dataConverter: DataConverter };
    /** How long transient failures are retried (scaled down to test an outage); default the product's. */
    timing?: TransferTiming;
  } = {},
): Promise<Pipeline> {
  const tenantMap = options.tenants ?? { demo: '1' };
  const fortnox = await startFortnoxSandbox({ rateLimit: false, tenants: Object.values(tenantMap), ...options.fortnox });
  const secretFor = (tenant: string) => (Object.hasOwn(tenantMap, tenant) ? TEST_SECRET : undefined);
  const summa = await startSummaSandbox({ secretFor });
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const dataConverter = options.codec === undefined ? {} : { dataConverter: options.codec.dataConverter };
  const client = new Client({ connection, namespace, ...dataConverter });
  const taskQueue = `test-${randomUUID()}`;
  const tenants: Record<string, TenantSettings> = Object.fromEntries(
    Object.entries(tenantMap).map(([tenant, tenantId]) => [
      tenant,
      { fortnox: { auth: 'clientCredentials', tenantId }, posting: { ...DEFAULT_POSTING, ...options.posting?.[tenant] } },
    ]),
  );
  const service = createTransferService({ client, taskQueue, ...(options.timing === undefined ? {} : { timing: options.timing }) });
  const tokenDir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-tokens-'));
  const running: { worker: IntegrationWorker; done: Promise<void> }[] = [];

  const startWorker = async () => {
    const worker = await createWorker({
      connection: nativeConnection,
      namespace,
      taskQueue,
      tenants: fixedTenants(tenants),
      fortnox: { apiBaseUrl: fortnox.url, authBaseUrl: `${fortnox.url}/oauth-v1`, ...SANDBOX_CLIENT },
      fortnoxRateLimit: { requests: 10_000, windowMs: 1_000 },
      tokenDir,
      // As before the composition root: the write-back signs for any tenant, even one the worker does not serve.
      summa: { url: summa.url, secretFor: () => TEST_SECRET },
      fortnoxActivitiesPerSecond: 1_000,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      ...dataConverter,
    });
    running.push({ worker, done: worker.run() });
    return worker;
  };
  if (options.worker !== false) await startWorker();

  return {
    fortnox,
    fortnoxControl: fortnoxControl(fortnox),
    summa,
    client,
    service,
    async resetFortnox() {
      await fortnoxControl(fortnox).reset();
      for (const { worker } of running) worker.forgetFortnoxData();
    },
    async transferred(tenant, invoiceId) {
      const result = client.workflow.getHandle<typeof invoiceTransfer>(invoiceWorkflowId(tenant, invoiceId)).result();
      let settled = false;
      void result.finally(() => (settled = true)).catch(() => undefined);
      while (!settled) {
        const view = await service.status(tenant, invoiceId).catch(() => undefined);
        if (view?.status === 'NeedsAttention') throw new Error(`invoice ${invoiceId} needs attention: ${view.message ?? ''}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return result;
    },
    taskQueue,
    startWorker,
    async stop() {
      for (const { worker, done } of running) {
        worker.shutdown();
        await done;
      }
      await connection.close();
      await nativeConnection.close();
      await fortnox.close();
      await summa.close();
    },
  };
}

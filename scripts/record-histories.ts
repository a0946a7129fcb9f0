// Records the JSON histories the replay tests replay (test/histories/). Run it after a deliberate change to the
// workflows, and keep the old files too while runs recorded with them may still be open in production:
//
//   npx tsx scripts/record-histories.ts
//
// It starts its own in-memory Temporal dev server, the sandboxes and a worker, runs each scenario and saves it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createTransferService } from '../src/client/transfer-service.js';
import { loadConfig } from '../src/config/env.js';
import { projectRoot } from '../src/paths.js';
import { SANDBOX_CLIENT, startFortnoxSandbox } from '../src/sandbox/fortnox/index.js';
import { startSummaSandbox } from '../src/sandbox/summa/index.js';
import { summaExportSchema, summaInvoiceSchema } from '../src/summa/invoice-contract.js';
import { requireTemporalCli } from '../src/temporal/cli.js';
import { DEFAULT_POSTING, fixedTenants } from '../src/config/tenants.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { exportWorkflowId, invoiceWorkflowId, searchAttributes } from '../src/transfer/index.js';
import { createWorker } from '../src/worker/index.js';
import { FORTNOX_RATE_LIMIT } from '../src/fortnox/rate-limiter.js';

const secret = 'record-histories-secret';
const today = new Date().toISOString().slice(0, 10);
const invoice = (invoiceId: string, account = 3001) =>
  summaInvoiceSchema.parse({
    schemaVersion: 1,
    tenant: 'demo',
    invoiceId,
    orderNumber: `O-${invoiceId}`,
    invoiceDate: today,
    customer: { customerNumber: 'K-1', name: 'Tryckeri Ängeln AB', type: 'COMPANY' },
    costCentre: { code: 'TRYCK', description: 'Tryckeriet' },
    project: { number: 'P-1', description: 'Vårkatalog' },
    rows: [{ description: 'Broschyr', quantity: 100, unitPrice: 2.5, vatPercent: 25, account }],
  });

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig();
  const server = await startDevServer({
    cli: requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH }),
    port: 7299,
    namespace: 'default',
    searchAttributes,
  });
  const fortnox = await startFortnoxSandbox({ rateLimit: false });
  const summa = await startSummaSandbox({ secretFor: () => secret });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = 'summa-fortnox';
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    tenants: fixedTenants({ demo: { fortnox: { auth: 'clientCredentials', tenantId: '1' }, posting: DEFAULT_POSTING } }),
    fortnox: { apiBaseUrl: fortnox.url, authBaseUrl: `${fortnox.url}/oauth-v1`, ...SANDBOX_CLIENT },
    fortnoxRateLimit: FORTNOX_RATE_LIMIT,
    tokenDir: mkdtempSync(path.join(os.tmpdir(), 'record-tokens-')),
    summa: { url: summa.url, secretFor: () => secret },
    fortnoxActivitiesPerSecond: 100,
  });
  const running = worker.run();
  const service = createTransferService({ client, taskQueue });
  const save = async (name: string, workflowId: string) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(path.join(projectRoot, 'test', 'histories', `${name}.json`), `${historyToJSON(history)}\n`);
    console.log(`saved test/histories/${name}.json (${history.events?.length ?? 0} events)`);
  };
  try {
    // 1. A transfer that goes straight through.
    await service.transfer(invoice('H-1'));
    await client.workflow.getHandle(invoiceWorkflowId('demo', 'H-1')).result();
    await save('invoice-transfer-transferred', invoiceWorkflowId('demo', 'H-1'));

    // 2. Needs attention (unknown account), cancelled by the operator.
    await service.transfer(invoice('H-2', 3999));
    await until(async () => (await service.status('demo', 'H-2'))?.status === 'NeedsAttention');
    await service.cancel('demo', 'H-2', 'makulerad i Summa');
    await client.workflow.getHandle(invoiceWorkflowId('demo', 'H-2')).result().catch(() => undefined);
    await save('invoice-transfer-cancelled', invoiceWorkflowId('demo', 'H-2'));

    // 3. An export of three invoices.
    const request = summaExportSchema.parse({ tenant: 'demo', exportId: 'E-1', invoices: [invoice('H-3'), invoice('H-4'), invoice('H-5')] });
    await service.export(request);
    await client.workflow.getHandle(exportWorkflowId('demo', 'E-1')).result();
    await save('invoice-export', exportWorkflowId('demo', 'E-1'));
    await save('invoice-transfer-in-export', invoiceWorkflowId('demo', 'H-4'));
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await fortnox.close();
    await summa.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

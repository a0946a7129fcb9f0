import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import { invoiceWorkflowId } from '../../src/transfer-service.js';
import type { invoiceTransfer } from '../../workflows/invoice-transfer.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, TEST_SECRET, type Pipeline } from '../helpers/pipeline.js';

describe('a worker killed while Fortnox creates the invoice', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ worker: false });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  /** `npm run worker` as its own process, configured for the pipeline's sandboxes and task queue. */
  function workerProcess() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'worker-process-'));
    const tenantsFile = path.join(dir, 'tenants.json');
    writeFileSync(tenantsFile, JSON.stringify({ demo: { fortnox: { auth: 'clientCredentials', tenantId: '1' } } }));
    return spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'cli', 'worker.ts')], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        TASK_QUEUE: pipeline.taskQueue,
        WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        FORTNOX_API_URL: pipeline.fortnox.url,
        FORTNOX_AUTH_URL: `${pipeline.fortnox.url}/oauth-v1`,
        FORTNOX_CLIENT_ID: SANDBOX_CLIENT.clientId,
        FORTNOX_CLIENT_SECRET: SANDBOX_CLIENT.clientSecret,
        TENANTS_FILE: tenantsFile,
        SUMMA_URL: pipeline.summa.url,
        SUMMA_SECRET: TEST_SECRET,
        DATA_DIR: dir,
      },
    });
  }

  it('still ends with exactly one Fortnox invoice, whose number Summa gets', async () => {
    const worker = workerProcess();
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => worker.once('exit', resolve));

    // Fortnox takes its time over the create: the worker dies while the request is in flight, Fortnox carries it out.
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 2_000, count: 1 });
    const invoice = anInvoice();
    await pipeline.service.transfer(invoice);
    const deadline = Date.now() + 60_000;
    while ((await pipeline.service.status('demo', invoice.invoiceId))?.step !== 'createInvoice') {
      if (Date.now() > deadline) throw new Error(`the transfer never reached createInvoice; worker said:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    worker.kill('SIGKILL');
    await exited;

    await pipeline.startWorker();
    const outcome = await pipeline.client.workflow.getHandle<typeof invoiceTransfer>(invoiceWorkflowId('demo', invoice.invoiceId)).result();
    const created = (await pipeline.fortnoxControl.state('1')).invoices.filter((item) => item.ExternalInvoiceReference1 === invoice.invoiceId);
    expect(created).toHaveLength(1);
    expect(created[0]?.DocumentNumber).toBe(outcome.fortnoxInvoiceNumber);
    const posts = await pipeline.fortnoxControl.requests({ route: '/3/invoices', method: 'POST' });
    // The dead worker's create, and no second one: the retry found the first by its external reference.
    expect(posts).toHaveLength(1);
    const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { fortnoxInvoiceNumber?: string }> };
    expect(summa.invoices[`demo/${invoice.invoiceId}`]?.fortnoxInvoiceNumber).toBe(outcome.fortnoxInvoiceNumber);
  });
});

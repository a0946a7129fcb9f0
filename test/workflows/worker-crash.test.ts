import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceWorkflowId } from '../../src/transfer/index.js';
import type { invoiceTransfer } from '../../workflows/invoice-transfer.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { startTestWorkerProcess } from '../helpers/worker-process.js';

describe('a worker killed while Fortnox creates the invoice', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ worker: false });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('still ends with exactly one Fortnox invoice, whose number Summa gets', async () => {
    const worker = await startTestWorkerProcess(pipeline);

    // Fortnox takes its time over the create: the worker dies while the request is in flight, Fortnox carries it out.
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 2_000, count: 1 });
    const invoice = anInvoice();
    await pipeline.service.transfer(invoice);
    const deadline = Date.now() + 60_000;
    while ((await pipeline.service.status('demo', invoice.invoiceId))?.step !== 'createInvoice') {
      if (Date.now() > deadline) throw new Error(`the transfer never reached createInvoice; worker said:\n${worker.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    await worker.kill();

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

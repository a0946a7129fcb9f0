import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaExportSchema } from '../../src/summa/invoice-contract.js';
import { exportWorkflowId } from '../../src/transfer/index.js';
import type { invoiceExport } from '../../workflows/invoice-export.js';
import type { TransferTiming } from '../../workflows/invoice-transfer.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/**
 * The product's timing scaled down 300-fold: the old bound (about five minutes of retries, then NeedsAttention)
 * becomes 1 s, the day of retries 5 minutes, the longest pause 1 s.
 */
const SCALED: TransferTiming = { quickAttempts: 3, initialIntervalMs: 100, maxIntervalMs: 1_000, giveUpAfterMs: 300_000 };
const OLD_BOUND_MS = 1_000;
const OUTAGE_MS = 10 * OLD_BOUND_MS;

describe('a Fortnox outage longer than the old retry bound', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ timing: SCALED });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('ends with every invoice of a 60-invoice export in Fortnox once, no command given, Summa told at most once per invoice that it is delayed', { timeout: 120_000 }, async () => {
    const first = anInvoice();
    const request = summaExportSchema.parse({ tenant: 'demo', exportId: 'OUTAGE', invoices: Array.from({ length: 60 }, (_, index) => ({ ...first, invoiceId: `OUT-${index + 1}` })) });
    // Fortnox answers every call with 503 for the whole outage.
    await pipeline.fortnoxControl.addFault({ route: '/3', kind: 'status', status: 503 });
    await pipeline.service.export(request);
    const started = Date.now();
    let sawWaiting = false;
    while (Date.now() - started < OUTAGE_MS) {
      const progress = await pipeline.service.exportProgress('demo', 'OUTAGE');
      expect(progress?.needsAttention ?? 0, 'nobody is asked to act during an outage').toBe(0);
      const waiting = await pipeline.client.workflow.count(`TaskQueue = '${pipeline.taskQueue}' AND TransferStatus = 'WaitingForFortnox' AND ExecutionStatus = 'Running'`);
      if (waiting.count > 0) sawWaiting = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(sawWaiting, 'the Web UI shows the transfers as waiting for Fortnox').toBe(true);
    await pipeline.fortnoxControl.clearFaults();

    const summary = await pipeline.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId('demo', 'OUTAGE')).result();
    expect(summary).toMatchObject({ total: 60, transferred: 60, cancelled: 0 });

    // As the accountant reads Fortnox: each invoice once, with Summa's amounts.
    const inFortnox = (await pipeline.fortnoxControl.state('1')).invoices;
    for (const invoice of request.invoices) {
      const created = inFortnox.filter((each) => each.ExternalInvoiceReference1 === invoice.invoiceId);
      expect(created, invoice.invoiceId).toHaveLength(1);
    }
    const net = first.rows.reduce((sum, row) => sum + (row.quantity ?? 0) * (row.unitPrice ?? 0), 0);
    for (const created of inFortnox.filter((each) => String(each.ExternalInvoiceReference1).startsWith('OUT-'))) expect(Number(created.Net)).toBeCloseTo(net, 2);

    // What Summa heard, per invoice: at most one "delayed", then "transferred" with the number.
    const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { updates: { invoiceId: string; status: string }[] };
    for (const invoice of request.invoices) {
      const heard = summa.updates.filter((update) => update.invoiceId === invoice.invoiceId).map((update) => update.status);
      expect(heard.filter((status) => status === 'delayed').length, invoice.invoiceId).toBeLessThanOrEqual(1);
      expect(heard.at(-1), invoice.invoiceId).toBe('transferred');
    }
    expect(summa.updates.some((update) => update.status === 'delayed'), 'Summa heard of the delay').toBe(true);
  });
});

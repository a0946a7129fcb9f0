import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaInvoiceSchema, type SummaInvoice } from '../../src/summa/invoice-contract.js';
import { invoiceWorkflowId, type TransferView, TransferStatusKey } from '../../src/transfer/index.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { validInvoiceArbitrary } from './arbitraries.js';

/*
 * Random invoices valid per the contract through the whole pipeline: real Temporal, a real worker, the Fortnox
 * and Summa sandboxes over HTTP. The invoices use what the sandbox company has and lacks (inactive and missing
 * accounts, accounts that need a cost centre, an inactive cost centre, a currency not set up, a year without a
 * financial year, credits and a-conto deductions of invoices transferred or never sent), so many need a person.
 *
 * Property, per invoice: within SETTLE_MS it is either
 *   - Transferred: the workflow COMPLETED, the status query says Transferred with a Fortnox number, the
 *     TransferStatusKey search attribute says Transferred, and Summa was told that number; or
 *   - NeedsAttention: the workflow is RUNNING (waiting for retry or cancel), the status query holds a non-empty
 *     message, and the search attribute says NeedsAttention;
 * never failed, terminated or timed out, and never still transferring (retrying silently) at the deadline.
 * Batches of eight run at once, as an export would; fast-check prints its seed on failure.
 */

const BATCHES = 6;
const BATCH_SIZE = 8;
/** Time for a transfer to settle: each step's first attempt takes well under a second on the sandbox. */
const SETTLE_MS = 30_000;

let sequence = 0;

describe('random valid invoices through the whole pipeline', () => {
  let pipeline: Pipeline;
  const transferred: string[] = [];
  /** Invoices that needed attention and were then terminated: never in Fortnox, so a credit of one needs a person. */
  const abandoned: string[] = [];
  const outcomes = new Map<string, number>();

  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  /** Where the transfer settled, or why it did not, with enough to see what went wrong. */
  async function settle(invoice: SummaInvoice): Promise<TransferView> {
    const handle = pipeline.client.workflow.getHandle(invoiceWorkflowId(invoice.tenant, invoice.invoiceId));
    const deadline = Date.now() + SETTLE_MS;
    let view: TransferView | undefined;
    for (;;) {
      const description = await handle.describe();
      const execution = description.status.name;
      expect(['RUNNING', 'COMPLETED'], `workflow of ${invoice.invoiceId} ended ${execution}`).toContain(execution);
      view = await pipeline.service.status(invoice.tenant, invoice.invoiceId);
      if (view?.status === 'NeedsAttention' || (view?.status === 'Transferred' && execution === 'COMPLETED')) break;
      if (Date.now() > deadline) {
        const pending = description.raw.pendingActivities?.map((activity) => `${activity.activityType?.name ?? '?'} attempt ${activity.attempt ?? 0}: ${activity.lastFailure?.message ?? ''}`);
        throw new Error(`invoice ${invoice.invoiceId} still ${view?.status ?? 'unknown'} after ${SETTLE_MS} ms (${execution}; step ${view?.step ?? '?'}; pending ${JSON.stringify(pending)}):\n${JSON.stringify(invoice)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(TransferStatusKey)).toBe(view.status);
    if (view.status === 'NeedsAttention') {
      expect(description.status.name).toBe('RUNNING');
      expect(view.message, `message of ${invoice.invoiceId}`).toEqual(expect.stringMatching(/\S{3}/));
    } else {
      expect(view.fortnoxInvoiceNumber).toEqual(expect.stringMatching(/^\d+$/));
      await handle.result();
    }
    return view;
  }

  it(
    `ends each of ${BATCHES * BATCH_SIZE} random valid invoices Transferred or NeedsAttention with a message, never failed or silently running`,
    async () => {
      const batch = fc.array(
        validInvoiceArbitrary(() => [...transferred, ...abandoned]),
        { minLength: BATCH_SIZE, maxLength: BATCH_SIZE },
      );
      await fc.assert(
        fc.asyncProperty(batch, async (drafts) => {
          const invoices = drafts.map((draft) => {
            sequence += 1;
            return summaInvoiceSchema.parse({ ...draft, invoiceId: `PV-${process.pid}-${sequence}`, orderNumber: `O-PV-${sequence}` });
          });
          await Promise.all(invoices.map((invoice) => pipeline.service.transfer(invoice)));
          const views = await Promise.all(invoices.map(settle));
          const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string; fortnoxInvoiceNumber?: string }> };
          for (const [index, view] of views.entries()) {
            const invoice = invoices[index]!;
            const outcome = view.status === 'NeedsAttention' ? `NeedsAttention at ${view.step ?? '?'}` : view.status;
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
            if (view.status === 'Transferred') {
              transferred.push(invoice.invoiceId);
              expect(summa.invoices[`demo/${invoice.invoiceId}`]).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: view.fortnoxInvoiceNumber });
            } else {
              // Ended here, so no later test meets it among the tenant's stuck transfers.
              abandoned.push(invoice.invoiceId);
              await pipeline.client.workflow.getHandle(view.workflowId).terminate('property test done');
            }
          }
        }),
        { numRuns: BATCHES, endOnFailure: true },
      );
      console.info(`valid invoices: ${JSON.stringify(Object.fromEntries(outcomes))}`);
      // The arbitrary aims at both outcomes; a run where one never happens tests half the property.
      expect(outcomes.get('Transferred') ?? 0).toBeGreaterThan(0);
      expect([...outcomes.keys()].some((outcome) => outcome.startsWith('NeedsAttention'))).toBe(true);
    },
    240_000,
  );
});

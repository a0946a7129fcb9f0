// Frozen: the code that exports started before the five-step transfer replay. Do not change what it does.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { SummaInvoice } from '../../src/summa/invoice-contract.js';
import { invoiceWorkflowId, type ExportProgress, SummaInvoiceIdKey, TenantKey, TransferStatusKey } from '../../src/transfer/index.js';
import {
  addInvoicesSignal,
  cancelExportSignal,
  progressQuery,
  type EntryStatus,
  type ExportState,
  type ExportSummary,
  type InvoiceExportInput,
  type invoiceExport,
} from '../invoice-export.js';
import { cancelSignal, invoiceTransfer, proceedSignal, reportToSignal, transferUpdateSignal } from '../invoice-transfer.js';

/** Start this many transfers per round trip: fast, yet small workflow tasks. */
const START_BATCH = 50;
/** Continue as new past this many events, so a 5,000-invoice export keeps a small history. */
const HISTORY_EVENTS_PER_RUN = 2_000;

/**
 * The export as it ran before the five-step transfer, kept unchanged for the runs that started with it:
 * `invoiceExport` runs this when its history has no `five-step-transfer` patch marker.
 */
export async function invoiceExportV1(input: InvoiceExportInput): Promise<ExportSummary> {
  const state: ExportState = input.state ?? { entries: {}, queue: [] };
  const concurrency = input.concurrency ?? 8;
  const myId = workflowInfo().workflowId;
  const inbox: SummaInvoice[] = [];
  /** Every invoice id received, started or not: a resent chunk must not start anything twice. */
  const seen = new Set(Object.keys(state.entries));

  const count = (status: EntryStatus) => Object.values(state.entries).filter((entry) => entry === status).length;
  const progress = (): ExportProgress => ({
    workflowId: myId,
    total: input.expected,
    transferred: count('Transferred'),
    needsAttention: count('NeedsAttention'),
    cancelled: count('Cancelled'),
    running: count('Running'),
    queued: count('Queued'),
    finished: isFinished(),
  });
  function isFinished(): boolean {
    const settled = Object.values(state.entries).filter(
      (entry) => entry === 'Transferred' || entry === 'Cancelled' || (state.cancelReason !== undefined && entry === 'NeedsAttention'),
    ).length;
    return Object.keys(state.entries).length >= input.expected && settled === Object.keys(state.entries).length;
  }

  setHandler(progressQuery, progress);
  setHandler(addInvoicesSignal, (invoices) => {
    for (const invoice of invoices) {
      if (seen.has(invoice.invoiceId)) continue;
      seen.add(invoice.invoiceId);
      inbox.push(invoice);
    }
  });
  setHandler(cancelExportSignal, ({ reason }) => {
    state.cancelReason ??= reason.trim() === '' ? 'ingen orsak angiven' : reason;
  });
  setHandler(transferUpdateSignal, ({ invoiceId, status }) => {
    const entry = state.entries[invoiceId];
    // The export keeps the queue itself; a transfer's own "Queued" may arrive after it was let go.
    if (entry === undefined || status === 'Queued') return;
    state.entries[invoiceId] = status === 'Transferring' || status === 'WaitingForFortnox' || status === 'WaitingForSumma' ? 'Running' : status;
  });

  async function start(invoice: SummaInvoice): Promise<void> {
    const workflowId = invoiceWorkflowId(input.tenant, invoice.invoiceId);
    state.entries[invoice.invoiceId] = 'Queued';
    try {
      await startChild(invoiceTransfer, {
        workflowId,
        args: [{ invoice, exportWorkflowId: myId, ...(input.mayAlreadyExist === true ? { mayAlreadyExist: true } : {}) }],
        // Transfers outlive an export run: it continues as new, and cancelling the export leaves running ones be.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        typedSearchAttributes: [
          { key: TenantKey, value: input.tenant },
          { key: SummaInvoiceIdKey, value: invoice.invoiceId },
          { key: TransferStatusKey, value: 'Queued' },
        ],
      });
      state.queue.push(invoice.invoiceId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      try {
        // Already running on its own (sent singly): have it report here too.
        await getExternalWorkflowHandle(workflowId).signal(reportToSignal, { workflowId: myId });
        state.entries[invoice.invoiceId] = 'Running';
      } catch {
        // Finished earlier: transferred already, and never twice.
        state.entries[invoice.invoiceId] = 'Transferred';
      }
    }
  }

  async function signalTransfer(invoiceId: string, signal: typeof proceedSignal | typeof cancelSignal, reason?: string): Promise<void> {
    const handle = getExternalWorkflowHandle(invoiceWorkflowId(input.tenant, invoiceId));
    await (signal === cancelSignal ? handle.signal(cancelSignal, { reason: reason ?? '' }) : handle.signal(proceedSignal));
  }

  async function cancelQueued(reason: string): Promise<void> {
    const queued = state.queue.splice(0);
    for (let index = 0; index < queued.length; index += START_BATCH) {
      await Promise.all(queued.slice(index, index + START_BATCH).map((invoiceId) => signalTransfer(invoiceId, cancelSignal, `exporten ${input.exportId} avbröts: ${reason}`)));
    }
    state.cancelHandled = true;
  }

  try {
    for (;;) {
      setCurrentDetails(`Export ${input.exportId}: ${count('Transferred')} av ${input.expected} överförda`);
      const canRelease = () => state.cancelReason === undefined && state.queue.length > 0 && count('Running') < concurrency;
      await condition(
        () => inbox.length > 0 || canRelease() || (state.cancelReason !== undefined && state.cancelHandled !== true) || isFinished() || historyIsLong(),
      );
      while (inbox.length > 0) await Promise.all(inbox.splice(0, START_BATCH).map(start));
      if (state.cancelReason !== undefined && state.cancelHandled !== true) await cancelQueued(state.cancelReason);
      const releases: Promise<void>[] = [];
      while (canRelease()) {
        const invoiceId = state.queue.shift();
        if (invoiceId === undefined) break;
        state.entries[invoiceId] = 'Running';
        releases.push(signalTransfer(invoiceId, proceedSignal));
      }
      await Promise.all(releases);
      if (isFinished()) break;
      if (historyIsLong() && inbox.length === 0) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof invoiceExport>({ ...input, state });
      }
    }
  } catch (error) {
    if (isCancellation(error)) {
      // Cancelled from the Web UI or `temporal workflow cancel`: same as the cancelExport signal.
      await CancellationScope.nonCancellable(() => cancelQueued('avbruten i Temporal'));
    }
    throw error;
  }
  setCurrentDetails(`Export ${input.exportId}: ${count('Transferred')} av ${input.expected} överförda`);
  return {
    exportId: input.exportId,
    total: input.expected,
    transferred: count('Transferred'),
    cancelled: count('Cancelled'),
    needsAttention: Object.entries(state.entries)
      .filter(([, entry]) => entry === 'NeedsAttention')
      .map(([invoiceId]) => invoiceId),
  };
}

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_PER_RUN;
}

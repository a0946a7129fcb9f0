import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import { FIVE_STEP_TRANSFER, invoiceWorkflowId, SummaInvoiceIdKey, TenantKey, TransferStatusKey, type ExportProgress } from '../src/transfer/index.js';
import { invoiceExportV1 } from './legacy/invoice-export-v1.js';
import { cancelSignal, invoiceTransfer, proceedSignal, reportToSignal, transferUpdateSignal, type InvoiceTransferInput } from './invoice-transfer.js';

/** An invoice's place in the export: waiting for a slot, transferring, or settled one way or another. */
export type EntryStatus = 'Queued' | 'Running' | 'NeedsAttention' | 'Transferred' | 'Cancelled';

export interface ExportState {
  entries: Record<string, EntryStatus>;
  /** Queued invoice ids in arrival order; each gets `proceed` when a slot frees. */
  queue: string[];
  cancelReason?: string;
  /** Queued transfers have been told to cancel. */
  cancelHandled?: boolean;
}

export interface InvoiceExportInput {
  tenant: string;
  exportId: string;
  /** How many invoices the export holds; they arrive by `addInvoices` signals. */
  expected: number;
  /** How many transfers run at once. Default 8. */
  concurrency?: number;
  /** An earlier run of this export ended unfinished: its invoices may already be in Fortnox. */
  mayAlreadyExist?: boolean;
  /** How the export's transfers retry transient failures (tests scale it down). */
  timing?: InvoiceTransferInput['timing'];
  /** Carried across continue-as-new. */
  state?: ExportState;
}

export interface ExportSummary {
  exportId: string;
  total: number;
  transferred: number;
  cancelled: number;
  /** Invoices left waiting for a person (only when the export was cancelled). */
  needsAttention: string[];
}

/** A chunk of the export's invoices, from the client. Repeats are ignored, so a client may resend them all. */
export const addInvoicesSignal = defineSignal<[SummaInvoice[]]>('addInvoices');
/** Stop starting transfers: queued ones are cancelled, running and finished ones are left alone. */
export const cancelExportSignal = defineSignal<[{ reason: string }]>('cancelExport');
export const progressQuery = defineQuery<ExportProgress>('progress');

/** Start this many transfers per round trip: fast, yet small workflow tasks. */
const START_BATCH = 50;
/** Continue as new past this many events, so a 5,000-invoice export keeps a small history. */
const HISTORY_EVENTS_PER_RUN = 2_000;

/**
 * A batch "fakturaexport": each invoice becomes the same per-invoice transfer workflow a single invoice gets (same
 * id, so an invoice already transferred alone is not transferred twice). Transfers start at once, parked, and are
 * let go a few at a time; they report back by signal, which reaches the export across continue-as-new.
 */
export async function invoiceExport(input: InvoiceExportInput): Promise<ExportSummary> {
  // Runs started before the five-step transfer replay the code they started with.
  if (!patched(FIVE_STEP_TRANSFER)) return invoiceExportV1(input);
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
        args: [
          {
            invoice,
            exportWorkflowId: myId,
            ...(input.mayAlreadyExist === true ? { mayAlreadyExist: true } : {}),
            ...(input.timing === undefined ? {} : { timing: input.timing }),
          },
        ],
        // The tenant is the fairness key: one print shop's month-end does not hold up another's invoices.
        priority: { fairnessKey: input.tenant },
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

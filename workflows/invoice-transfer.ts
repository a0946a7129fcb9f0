import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities, FromCache } from '../activities/index.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import type { SummaWriteBack } from '../src/summa/write-back.js';
import {
  costCentresOf,
  failureTypes,
  FIVE_STEP_TRANSFER,
  HOOK_TO_WRITE_BACK,
  NEEDS_ATTENTION,
  TRANSFERS,
  FortnoxCustomerNumberKey,
  FortnoxInvoiceNumberKey,
  TransferStatusKey,
  type TransferStatus,
  type TransferStep,
  type TransferView,
} from '../src/transfer/index.js';
import { invoiceTransferV1 } from './legacy/invoice-transfer-v1.js';

export interface InvoiceTransferInput {
  invoice: SummaInvoice;
  /** Set when the transfer is part of an export: it then waits for the export's `proceed` before starting. */
  exportWorkflowId?: string;
  /** An earlier run for this invoice ended without finishing, so Fortnox may already hold the invoice. */
  mayAlreadyExist?: boolean;
  /** How transient failures are retried; production's defaults unless a test scales them down. */
  timing?: Partial<TransferTiming>;
}

/** How long a step that fails for a reason nobody has to fix (Fortnox or Summa away, 429, 5xx) keeps being retried. */
export interface TransferTiming {
  /** Attempts before the transfer shows as waiting for the service (and Summa hears, once, that it is delayed). */
  quickAttempts: number;
  /** The first pause between attempts, in ms; it doubles from there. */
  initialIntervalMs: number;
  /** The longest pause between attempts, in ms. */
  maxIntervalMs: number;
  /** How long one step is retried in all before a person is asked to look, in ms. */
  giveUpAfterMs: number;
}

/** About 15 s of quick attempts, then every 5 minutes at most, for a day: a Fortnox outage heals by itself. */
export const DEFAULT_TIMING: TransferTiming = { quickAttempts: 5, initialIntervalMs: 1_000, maxIntervalMs: 5 * 60_000, giveUpAfterMs: 24 * 3_600_000 };

export interface InvoiceTransferResult {
  status: 'Transferred';
  fortnoxInvoiceNumber: string;
  fortnoxCustomerNumber: string;
}

/** What a transfer tells the export it belongs to, when the export needs to know (see `exportNeedsToHear`). */
export interface TransferUpdate {
  invoiceId: string;
  status: TransferStatus;
  fortnoxInvoiceNumber?: string;
}

/** Resume a transfer that needs attention, from the step that failed. */
export const retrySignal = defineSignal('retry');
/** Give up on the transfer; Summa is told, with the reason. */
export const cancelSignal = defineSignal<[{ reason: string }]>('cancel');
/** From the export: this transfer may start now (the export bounds how many run at once). */
export const proceedSignal = defineSignal('proceed');
/** From an export that found this transfer already running on its own: report to that export too. */
export const reportToSignal = defineSignal<[{ workflowId: string }]>('reportTo');
/** Sent by a transfer to its export. */
export const transferUpdateSignal = defineSignal<[TransferUpdate]>('transferUpdate');
export const statusQuery = defineQuery<TransferView>('status');

type Phase = 'quick' | 'waiting';

/**
 * Transfers one Summa invoice into Fortnox in the design's five steps: accounts checked, customer written, cost
 * centres, project and terms ensured, the invoice created exactly once with its totals checked, its number written
 * back to Summa; then booked or sent where the tenant wants that. Steps that this process's cache can usually answer
 * run first as local activities; only what needs Fortnox goes through the task queue, under the tenant's fairness
 * key. A failure nobody has to fix is retried for up to a day (status WaitingForFortnox / WaitingForSumma, Summa told
 * once that the transfer is delayed); a failure a person must fix does not fail the workflow: it waits in
 * NeedsAttention for `retry` or `cancel`.
 */
export async function invoiceTransfer(input: InvoiceTransferInput): Promise<InvoiceTransferResult> {
  // Runs started before the five-step transfer replay the code they started with.
  if (!patched(FIVE_STEP_TRANSFER)) return invoiceTransferV1(input);

  const { invoice } = input;
  const timing: TransferTiming = { ...DEFAULT_TIMING, ...input.timing };
  const view: TransferView = {
    workflowId: workflowInfo().workflowId,
    tenant: invoice.tenant,
    invoiceId: invoice.invoiceId,
    status: input.exportWorkflowId === undefined ? 'Transferring' : 'Queued',
    step: undefined,
    retries: 0,
    message: undefined,
    fortnoxInvoiceNumber: undefined,
    fortnoxCustomerNumber: undefined,
  };
  const reportTo = new Set(input.exportWorkflowId === undefined ? [] : [input.exportWorkflowId]);
  let proceed = input.exportWorkflowId === undefined;
  let retryRequested = false;
  let cancelRequested: string | undefined;
  let createAttempted = input.mayAlreadyExist === true;
  let delayNoticeSent = false;
  /** Summa's write-backs, one after the other, so Summa hears them in the order they happened. */
  let toSumma: Promise<void> = Promise.resolve();

  const metrics = {
    transfers: metricMeter.createCounter(TRANSFERS, 'transfers', 'Transfers that ended, by tenant and outcome'),
    needsAttention: metricMeter.createCounter(NEEDS_ATTENTION, 'transfers', 'Transfers that stopped for a person, by tenant and step'),
    hookToWriteBack: metricMeter.createHistogram(HOOK_TO_WRITE_BACK, 'int', 'ms', "From the transfer's start to Summa holding the Fortnox number"),
  };

  setHandler(statusQuery, () => view);
  setHandler(retrySignal, () => {
    retryRequested = true;
  });
  setHandler(cancelSignal, ({ reason }) => {
    cancelRequested = reason.trim() === '' ? 'ingen orsak angiven' : reason;
  });
  setHandler(proceedSignal, () => {
    proceed = true;
  });
  setHandler(reportToSignal, ({ workflowId }) => {
    reportTo.add(workflowId);
    void notifyExports();
  });

  const retryPolicy = (phase: Phase): RetryPolicy => ({
    initialInterval: timing.initialIntervalMs,
    backoffCoefficient: 2,
    maximumInterval: timing.maxIntervalMs,
    nonRetryableErrorTypes: [failureTypes.needsAttention],
    ...(phase === 'quick' ? { maximumAttempts: timing.quickAttempts } : {}),
  });
  /** The steps that need Fortnox, on the task queue: the workflow's fairness key (the tenant) paces them. */
  const remote = (phase: Phase) =>
    proxyActivities<Activities>({
      startToCloseTimeout: '2 minutes',
      // Activities heartbeat every 2 s: a worker that dies mid-call is noticed in seconds, not minutes.
      heartbeatTimeout: '10 seconds',
      retry: retryPolicy(phase),
      ...(phase === 'waiting' ? { scheduleToCloseTimeout: timing.giveUpAfterMs } : {}),
      // Said here, not only inherited: a transfer started by an older export carries no priority of its own.
      priority: { fairnessKey: invoice.tenant },
    } satisfies ActivityOptions);
  /** The steps answered from this process's cache, and the write-back to Summa, in the workflow's own worker. */
  const local = (phase: Phase) =>
    proxyLocalActivities<Activities>({
      startToCloseTimeout: '1 minute',
      retry: retryPolicy(phase),
      ...(phase === 'waiting' ? { scheduleToCloseTimeout: timing.giveUpAfterMs } : {}),
    } satisfies LocalActivityOptions);
  /** Telling Summa that a person must act, that the transfer is delayed or was cancelled: however long Summa is away. */
  const notify = proxyLocalActivities<Activities>({ startToCloseTimeout: '1 minute', retry: retryPolicy('waiting') });

  async function notifyExports(): Promise<void> {
    const update: TransferUpdate = { invoiceId: invoice.invoiceId, status: view.status, ...(view.fortnoxInvoiceNumber === undefined ? {} : { fortnoxInvoiceNumber: view.fortnoxInvoiceNumber }) };
    for (const workflowId of reportTo) {
      try {
        await getExternalWorkflowHandle(workflowId).signal(transferUpdateSignal, update);
      } catch (error) {
        // The export has ended (cancelled or finished); nobody is waiting for this update.
        log.info('export no longer listening', { workflowId, error: String(error) });
      }
    }
  }

  async function setStatus(status: TransferStatus, extra: { key: typeof FortnoxInvoiceNumberKey; value: string }[] = []): Promise<void> {
    const previous = view.status;
    if (previous === status && extra.length === 0) return;
    view.status = status;
    // Metrics leave nothing in the history (and are not emitted again on replay): running transfers replay as before.
    if (status === 'Transferred' || status === 'Cancelled') metrics.transfers.add(1, { tenant: invoice.tenant, outcome: status.toLowerCase() });
    if (status === 'NeedsAttention') metrics.needsAttention.add(1, { tenant: invoice.tenant, step: view.step ?? 'start' });
    upsertSearchAttributes([{ key: TransferStatusKey, value: status }, ...extra]);
    if (exportNeedsToHear(previous, status)) await notifyExports();
  }

  function writeBack(status: SummaWriteBack['status'], message?: string, details: Partial<SummaWriteBack> = {}): SummaWriteBack {
    return {
      tenant: invoice.tenant,
      invoiceId: invoice.invoiceId,
      status,
      ...(view.fortnoxInvoiceNumber === undefined ? {} : { fortnoxInvoiceNumber: view.fortnoxInvoiceNumber }),
      ...(message === undefined ? {} : { message }),
      ...details,
    };
  }

  /** Queues a write-back behind the ones before it; resolves when Summa has it. */
  function tellSumma(update: SummaWriteBack): Promise<void> {
    const sent = toSumma.then(() => notify.reportToSumma(update));
    toSumma = sent.catch(() => undefined);
    return sent;
  }

  /** Ends the transfer as cancelled: Summa is told, then the run fails so that the invoice may be sent again. */
  async function cancelTransfer(reason: string): Promise<never> {
    const created = view.fortnoxInvoiceNumber === undefined ? '' : ` Fakturan finns redan i Fortnox som nr ${view.fortnoxInvoiceNumber}.`;
    view.message = `Överföringen avbröts: ${reason}.${created}`;
    // Summa first: when the export hears of it, Summa already knows.
    await CancellationScope.nonCancellable(async () => {
      await tellSumma(writeBack('cancelled', view.message));
      await setStatus('Cancelled');
    });
    throw ApplicationFailure.create({ type: failureTypes.transferCancelled, message: view.message, nonRetryable: true });
  }

  /** The step's service is away: say so (Summa once per transfer), then keep trying. */
  async function waitFor(service: 'Fortnox' | 'Summa'): Promise<void> {
    await setStatus(service === 'Fortnox' ? 'WaitingForFortnox' : 'WaitingForSumma');
    if (service === 'Fortnox' && !delayNoticeSent) {
      delayNoticeSent = true;
      // Not awaited: the step goes on retrying while Summa is told.
      void tellSumma(
        writeBack(
          'delayed',
          `Fortnox svarar inte just nu, så överföringen av faktura ${invoice.invoiceId} dröjer. Den fortsätter av sig själv när Fortnox svarar igen — ingen behöver göra något.`,
        ),
      ).catch(() => undefined);
    }
  }

  /**
   * Runs one step: quick attempts first; while its service is away it keeps trying (waiting); when it fails in a way
   * a person must handle, it waits for `retry` (then runs it again) or `cancel`.
   */
  async function step<T>(name: TransferStep, run: (phase: Phase) => Promise<T>): Promise<T> {
    view.step = name;
    view.retries = 0;
    for (;;) {
      try {
        try {
          return await run('quick');
        } catch (error) {
          const service = awayService(error, name);
          if (service === undefined) throw error;
          await waitFor(service);
          const value = await run('waiting');
          await setStatus('Transferring');
          return value;
        }
      } catch (error) {
        if (isCancellation(error)) throw error;
        view.message = describeFailure(error);
        view.fortnoxInvoiceNumber ??= createdDocumentNumber(error);
        log.warn('transfer needs attention', { step: name, message: view.message });
        await setStatus('NeedsAttention');
        // Summa may be unable to hear it (no secret yet for a tenant not configured): the transfer still waits for a
        // person, who sees the message in the status query and the Web UI, rather than failing.
        await tellSumma(writeBack('needsAttention', view.message)).catch((reason: unknown) =>
          log.warn('Summa was not told that the transfer needs attention', { step: name, reason: reason instanceof Error ? reason.message : String(reason) }),
        );
        await condition(() => retryRequested || cancelRequested !== undefined);
        if (cancelRequested !== undefined) return cancelTransfer(cancelRequested);
        retryRequested = false;
        view.retries += 1;
        view.message = undefined;
        await setStatus('Transferring');
      }
    }
  }

  /** A step this process's cache can usually answer: locally first, then on the task queue if it needs Fortnox. */
  function cacheFirst<T>(name: TransferStep, run: (activities: ReturnType<typeof remote>) => Promise<FromCache<T>>): Promise<T> {
    return step(name, async (phase) => {
      const answer = phase === 'quick' ? await run(local('quick')) : { kind: 'needsFortnox' as const };
      const result = answer.kind === 'done' ? answer : await run(remote(phase));
      if (result.kind === 'done') return result.value;
      throw ApplicationFailure.create({ type: failureTypes.needsAttention, nonRetryable: true, message: `Steget ${name} kunde inte köras mot Fortnox.` });
    });
  }

  setCurrentDetails(`Summa ${invoice.invoiceId} → Fortnox (pågår)`);
  try {
    await condition(() => proceed || cancelRequested !== undefined);
    if (cancelRequested !== undefined) return await cancelTransfer(cancelRequested);
    await setStatus('Transferring');

    await cacheFirst('validateAccounts', (activities) =>
      activities.validateAccounts({
        tenant: invoice.tenant,
        invoiceDate: invoice.invoiceDate,
        rows: invoice.rows.map((row) => ({ account: row.account, vatPercent: row.vatPercent, costCentre: row.costCentre ?? invoice.costCentre?.code })),
        ...(invoice.acontoDeductions === undefined ? {} : { acontoDeductionVats: invoice.acontoDeductions.map((deduction) => deduction.vatPercent) }),
        // Activity input only (replay compares commands, not their arguments): a 0 % row's account must suit the sale.
        vatType: invoice.customer.vatType ?? 'SEVAT',
        supplyType: invoice.supplyType,
      }),
    );
    const { customerNumber } = await cacheFirst('upsertCustomer', (activities) => activities.upsertCustomer({ tenant: invoice.tenant, customer: invoice.customer }));
    view.fortnoxCustomerNumber = customerNumber;
    const { project, termsOfPaymentDays } = invoice;
    const needsTerms = termsOfPaymentDays !== undefined && invoice.dueDate === undefined && invoice.credit === undefined;
    const costCentres = costCentresOf(invoice);
    const { termsOfPayment } =
      costCentres.length > 0 || project !== undefined || needsTerms
        ? await cacheFirst('ensureRegisters', (activities) =>
            activities.ensureRegisters({ tenant: invoice.tenant, costCentres, project, termsOfPaymentDays: needsTerms ? termsOfPaymentDays : undefined }),
          )
        : { termsOfPayment: undefined };
    const created = await step('createInvoice', (phase) => {
      const mayAlreadyExist = createAttempted;
      createAttempted = true;
      return remote(phase).createFortnoxInvoice({ invoice, customerNumber, termsOfPayment, mayAlreadyExist });
    });
    view.fortnoxInvoiceNumber = created.documentNumber;
    setCurrentDetails(`Summa ${invoice.invoiceId} → Fortnox ${created.documentNumber}`);
    await step('writeBack', async (phase) => {
      await toSumma;
      // A corrected invoice re-sent after its first Fortnox invoice was cancelled there: Summa hears of both numbers.
      const replaced = created.replacesCancelled;
      await local(phase).reportToSumma(
        writeBack(
          'transferred',
          replaced === undefined || replaced.length === 0
            ? undefined
            : `Fortnox-faktura nr ${replaced.join(', ')} för Summa-faktura ${invoice.invoiceId} är makulerad i Fortnox; fakturan har skapats på nytt som nr ${created.documentNumber}.`,
          // What Summa stores beside the number; a run recorded before these were sent has none of them.
          {
            fortnoxCustomerNumber: customerNumber,
            ...(created.ocr === undefined ? {} : { ocr: created.ocr }),
            ...(created.dueDate === undefined ? {} : { dueDate: created.dueDate }),
            ...(created.total === undefined ? {} : { total: created.total }),
            ...(created.currency === undefined ? {} : { currency: created.currency }),
            ...(created.creditedInvoiceNumber === undefined ? {} : { creditedFortnoxInvoiceNumber: created.creditedInvoiceNumber }),
          },
        ),
      );
    });
    metrics.hookToWriteBack.record(Date.now() - workflowInfo().startTime.getTime(), { tenant: invoice.tenant });
    if (created.post) {
      await step('postInvoice', (phase) => remote(phase).postInvoice({ tenant: invoice.tenant, invoiceId: invoice.invoiceId, documentNumber: created.documentNumber }));
    }
    view.step = undefined;
    await setStatus('Transferred', [
      { key: FortnoxInvoiceNumberKey, value: created.documentNumber },
      { key: FortnoxCustomerNumberKey, value: customerNumber },
    ]);
    return { status: 'Transferred', fortnoxInvoiceNumber: created.documentNumber, fortnoxCustomerNumber: customerNumber };
  } catch (error) {
    // Cancelled from the Web UI or `temporal workflow cancel`: Summa still hears about it.
    if (isCancellation(error) && view.status !== 'Cancelled') {
      view.message = 'Överföringen avbröts i Temporal.';
      await CancellationScope.nonCancellable(async () => {
        await tellSumma(writeBack('cancelled', view.message));
        await setStatus('Cancelled');
      });
    }
    throw error;
  }
}

/**
 * The export tracks queueing, release and waiting itself; it needs to hear what settles a transfer or takes it out of
 * (or back into) the running count: one signal per transfer on the common path.
 */
function exportNeedsToHear(previous: TransferStatus, status: TransferStatus): boolean {
  return status === 'NeedsAttention' || status === 'Transferred' || status === 'Cancelled' || previous === 'NeedsAttention';
}

/** The service a step waits for when its failure is one that passes by itself; undefined when a person must act. */
function awayService(error: unknown, step: TransferStep): 'Fortnox' | 'Summa' | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    if (cause.type === failureTypes.fortnoxUnavailable) return 'Fortnox';
    if (cause.type === failureTypes.summaUnavailable) return 'Summa';
    return undefined;
  }
  // A step that timed out (its worker died, or the service hung): try again, on the service of the step.
  if (cause instanceof TimeoutFailure) return step === 'writeBack' ? 'Summa' : 'Fortnox';
  return undefined;
}

/** The Fortnox number of an invoice created before its step failed (the totals check), when the failure names one. */
function createdDocumentNumber(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const details = cause.details?.[0] as { documentNumber?: unknown } | undefined;
  return typeof details?.documentNumber === 'string' ? details.documentNumber : undefined;
}

/** The message for a person: the activity's own (already Swedish) for NeedsAttention, else what kept failing. */
function describeFailure(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === failureTypes.needsAttention) return cause.message;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return `Fortnox eller Summa har inte svarat trots upprepade försök (${detail}). Tryck Försök igen när tjänsten fungerar.`;
}

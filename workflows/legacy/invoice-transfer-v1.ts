// Frozen: the code that transfers started before the five-step transfer replay. Do not change what it does.
import {
  type ActivityOptions,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LegacyActivities as Activities } from '../../activities/index.js';
import {
  costCentresOf,
  failureTypes,
  FortnoxCustomerNumberKey,
  FortnoxInvoiceNumberKey,
  fortnoxTaskQueue,
  SummaInvoiceIdKey,
  TenantKey,
  TransferStatusKey,
  type TransferStatus,
  type TransferStep,
  type TransferView,
} from '../../src/transfer/index.js';
import type { SummaWriteBack } from '../../src/summa/write-back.js';
import {
  cancelSignal,
  proceedSignal,
  reportToSignal,
  retrySignal,
  statusQuery,
  transferUpdateSignal,
  type InvoiceTransferInput,
  type InvoiceTransferResult,
  type TransferUpdate,
} from '../invoice-transfer.js';

// The steps: transient failures are retried for about five minutes; after that a person is told and can press retry.
const stepOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  // Activities heartbeat every 2 s: a worker that dies mid-call is noticed in seconds, not minutes.
  heartbeatTimeout: '10 seconds',
  // A tenant no worker serves (removed from the configuration) must not wait forever unnoticed.
  scheduleToStartTimeout: '10 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: [failureTypes.needsAttention] },
};
const steps = proxyActivities<Activities>(stepOptions);
// Telling Summa that a person must act, or that the transfer was cancelled: retried however long Summa is away.
const { reportToSumma: notifySumma } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [failureTypes.needsAttention] },
});

/**
 * The transfer as it ran before the five-step transfer (eight activities on the tenant's own task queue), kept
 * unchanged for the runs that started with it: `invoiceTransfer` runs this when its history has no
 * `five-step-transfer` patch marker. Delete it, with createLegacyActivities and the legacy queues, once no run
 * without `TransferVersion` is open (docs/temporal.md).
 */
export async function invoiceTransferV1(input: InvoiceTransferInput): Promise<InvoiceTransferResult> {
  const { invoice } = input;
  // Fortnox steps run on the tenant's own task queue, paced there for every worker process together.
  const {
    validateAccounts,
    upsertCustomer,
    ensureCostCentres,
    ensureProject,
    ensureTermsOfPayment,
    createFortnoxInvoice,
    creditFortnoxInvoice,
    checkTotals,
    postInvoice,
  } = proxyActivities<Activities>({
    ...stepOptions,
    taskQueue: fortnoxTaskQueue(workflowInfo().taskQueue, invoice.tenant),
  });
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

  async function setStatus(status: TransferStatus): Promise<void> {
    const previous = view.status;
    view.status = status;
    upsertSearchAttributes([{ key: TransferStatusKey, value: status }]);
    // The export tracks queueing and release itself; it needs to hear only of what happens after.
    if (status !== 'Queued' && !(status === 'Transferring' && previous === 'Queued')) await notifyExports();
  }

  function report(status: SummaWriteBack['status'], message?: string, send = notifySumma): Promise<void> {
    return send({
      tenant: invoice.tenant,
      invoiceId: invoice.invoiceId,
      status,
      ...(view.fortnoxInvoiceNumber === undefined ? {} : { fortnoxInvoiceNumber: view.fortnoxInvoiceNumber }),
      ...(message === undefined ? {} : { message }),
    });
  }

  /** Ends the transfer as cancelled: Summa is told, then the run fails so that the invoice may be sent again. */
  async function cancelTransfer(reason: string): Promise<never> {
    const created = view.fortnoxInvoiceNumber === undefined ? '' : ` Fakturan finns redan i Fortnox som nr ${view.fortnoxInvoiceNumber}.`;
    view.message = `Överföringen avbröts: ${reason}.${created}`;
    // Summa first: when the export hears of it, Summa already knows.
    await CancellationScope.nonCancellable(async () => {
      await report('cancelled', view.message);
      await setStatus('Cancelled');
    });
    throw ApplicationFailure.create({ type: failureTypes.transferCancelled, message: view.message, nonRetryable: true });
  }

  /** Runs one step; when it fails in a way a person must handle, waits for `retry` (then runs it again) or `cancel`. */
  async function step<T>(name: TransferStep, run: () => Promise<T>): Promise<T> {
    view.step = name;
    view.retries = 0;
    for (;;) {
      try {
        return await run();
      } catch (error) {
        if (isCancellation(error)) throw error;
        view.message = describeFailure(error);
        log.warn('transfer needs attention', { step: name, message: view.message });
        await setStatus('NeedsAttention');
        await report('needsAttention', view.message);
        await condition(() => retryRequested || cancelRequested !== undefined);
        if (cancelRequested !== undefined) return cancelTransfer(cancelRequested);
        retryRequested = false;
        view.retries += 1;
        view.message = undefined;
        await setStatus('Transferring');
      }
    }
  }

  upsertSearchAttributes([
    { key: TenantKey, value: invoice.tenant },
    { key: SummaInvoiceIdKey, value: invoice.invoiceId },
  ]);
  setCurrentDetails(`Summa ${invoice.invoiceId} → Fortnox (pågår)`);
  try {
    await setStatus(view.status);
    await condition(() => proceed || cancelRequested !== undefined);
    if (cancelRequested !== undefined) return await cancelTransfer(cancelRequested);
    if (view.status === 'Queued') await setStatus('Transferring');

    await step('validateAccounts', () =>
      validateAccounts({
        tenant: invoice.tenant,
        invoiceDate: invoice.invoiceDate,
        rows: invoice.rows.map((row) => ({ account: row.account, vatPercent: row.vatPercent, costCentre: row.costCentre ?? invoice.costCentre?.code })),
        ...(invoice.acontoDeductions === undefined ? {} : { acontoDeductionVats: invoice.acontoDeductions.map((deduction) => deduction.vatPercent) }),
      }),
    );
    const { customerNumber } = await step('upsertCustomer', () => upsertCustomer({ tenant: invoice.tenant, customer: invoice.customer }));
    view.fortnoxCustomerNumber = customerNumber;
    upsertSearchAttributes([{ key: FortnoxCustomerNumberKey, value: customerNumber }]);
    const costCentres = costCentresOf(invoice);
    if (costCentres.length > 0) await step('ensureCostCentres', () => ensureCostCentres({ tenant: invoice.tenant, costCentres }));
    const { project, termsOfPaymentDays } = invoice;
    if (project !== undefined) await step('ensureProject', () => ensureProject({ tenant: invoice.tenant, project }));
    const termsOfPayment =
      termsOfPaymentDays === undefined || invoice.dueDate !== undefined || invoice.credit !== undefined
        ? undefined
        : (await step('ensureTermsOfPayment', () => ensureTermsOfPayment({ tenant: invoice.tenant, days: termsOfPaymentDays }))).code;
    const created = await step('createInvoice', () => {
      if (invoice.credit?.full === true) return creditFortnoxInvoice({ invoice });
      const mayAlreadyExist = createAttempted;
      createAttempted = true;
      return createFortnoxInvoice({ invoice, customerNumber, termsOfPayment, mayAlreadyExist });
    });
    view.fortnoxInvoiceNumber = created.documentNumber;
    upsertSearchAttributes([{ key: FortnoxInvoiceNumberKey, value: created.documentNumber }]);
    setCurrentDetails(`Summa ${invoice.invoiceId} → Fortnox ${created.documentNumber}`);
    const { totals } = invoice;
    if (totals !== undefined) {
      await step('checkTotals', () =>
        checkTotals({
          tenant: invoice.tenant,
          invoiceId: invoice.invoiceId,
          documentNumber: created.documentNumber,
          expected: totals,
          // The create call's answer is fresh; after a person has fixed the invoice, Fortnox is read again.
          created: view.retries === 0 ? { net: created.net, vat: created.vat, total: created.total } : undefined,
        }),
      );
    }
    await step('writeBack', () => report('transferred', undefined, steps.reportToSumma));
    await step('postInvoice', () => postInvoice({ tenant: invoice.tenant, invoiceId: invoice.invoiceId, documentNumber: created.documentNumber }));
    view.step = undefined;
    await setStatus('Transferred');
    return { status: 'Transferred', fortnoxInvoiceNumber: created.documentNumber, fortnoxCustomerNumber: customerNumber };
  } catch (error) {
    // Cancelled from the Web UI or `temporal workflow cancel`: Summa still hears about it.
    if (isCancellation(error) && view.status !== 'Cancelled') {
      view.message = 'Överföringen avbröts i Temporal.';
      await CancellationScope.nonCancellable(async () => {
        await report('cancelled', view.message);
        await setStatus('Cancelled');
      });
    }
    throw error;
  }
}

/** The message for a person: the activity's own (already Swedish) for NeedsAttention, else what kept failing. */
function describeFailure(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === failureTypes.needsAttention) return cause.message;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return `Fortnox eller Summa har inte svarat trots upprepade försök (${detail}). Tryck Försök igen när tjänsten fungerar.`;
}

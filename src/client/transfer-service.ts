import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowExecutionDescription } from '@temporalio/client';
import type { SummaExport, SummaInvoice } from '../summa/invoice-contract.js';
import { exportWorkflowId, invoiceWorkflowId, type ExportProgress, type StuckFilter, type TransferService, type TransferView, FortnoxCustomerNumberKey, FortnoxInvoiceNumberKey, SummaInvoiceIdKey, TenantKey, TransferStatusKey } from '../transfer/index.js';
import { addInvoicesSignal, cancelExportSignal, invoiceExport, progressQuery } from '../../workflows/invoice-export.js';
import { cancelSignal, invoiceTransfer, retrySignal, statusQuery, type InvoiceTransferInput } from '../../workflows/invoice-transfer.js';

/** Invoices per `addInvoices` signal: small payloads, few round trips. */
const EXPORT_CHUNK = 100;

export class TransferNotFoundError extends Error {
  override readonly name = 'TransferNotFoundError';
}

export class TransferStateError extends Error {
  override readonly name = 'TransferStateError';
}

/**
 * The integration's verbs on Temporal, for the hook server, the CLI and Summa's own code. Starting is idempotent:
 * one workflow per invoice (`invoice/<tenant>/<invoiceId>`); a repeat while it runs joins it, a repeat after it
 * succeeded starts nothing, and a repeat after a failure or cancel runs it again.
 */
export function createTransferService(options: {
  client: Client;
  taskQueue: string;
  /** How transfers retry what passes by itself (Fortnox away); production's defaults unless a test scales them. */
  timing?: InvoiceTransferInput['timing'];
}): TransferService {
  const { client, taskQueue } = options;
  const timing = options.timing === undefined ? {} : { timing: options.timing };

  async function describe(workflowId: string): Promise<WorkflowExecutionDescription | undefined> {
    try {
      return await client.workflow.getHandle(workflowId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  async function requireWaiting(tenant: string, invoiceId: string): Promise<TransferView> {
    const view = await service.status(tenant, invoiceId);
    if (view === undefined) throw new TransferNotFoundError(`Invoice ${invoiceId} of ${tenant} was never sent to the integration.`);
    if (view.status === 'Transferred' || view.status === 'Cancelled') {
      throw new TransferStateError(`Invoice ${invoiceId} of ${tenant} is already ${view.status}; there is nothing to retry or cancel.`);
    }
    return view;
  }

  const service: TransferService = {
    async transfer(invoice: SummaInvoice) {
      const workflowId = invoiceWorkflowId(invoice.tenant, invoice.invoiceId);
      const previous = await describe(workflowId);
      if (previous?.status.name === 'RUNNING') return { workflowId, outcome: 'alreadyRunning' };
      if (previous?.status.name === 'COMPLETED') return { workflowId, outcome: 'alreadyTransferred' };
      try {
        await client.workflow.start(invoiceTransfer, {
          workflowId,
          taskQueue,
          // An earlier run that ended unfinished may have created the invoice; the new run looks first.
          args: [{ invoice, ...timing, ...(previous === undefined ? {} : { mayAlreadyExist: true }) }],
          // The tenant is the fairness key of everything the transfer runs: one print shop cannot crowd out another.
          priority: { fairnessKey: invoice.tenant },
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: [
            { key: TenantKey, value: invoice.tenant },
            { key: SummaInvoiceIdKey, value: invoice.invoiceId },
            { key: TransferStatusKey, value: 'Transferring' },
          ],
          staticSummary: `Summa ${invoice.invoiceId} (${invoice.tenant}, order ${invoice.orderNumber})`,
        });
        return { workflowId, outcome: 'started' };
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        // A concurrent delivery won the race.
        const now = await describe(workflowId);
        return { workflowId, outcome: now?.status.name === 'COMPLETED' ? 'alreadyTransferred' : 'alreadyRunning' };
      }
    },

    async export(request: SummaExport) {
      const workflowId = exportWorkflowId(request.tenant, request.exportId);
      const previous = await describe(workflowId);
      if (previous?.status.name === 'COMPLETED') return { workflowId, outcome: 'alreadyFinished' };
      const chunks: SummaInvoice[][] = [];
      for (let index = 0; index < request.invoices.length; index += EXPORT_CHUNK) chunks.push(request.invoices.slice(index, index + EXPORT_CHUNK));
      const [first = [], ...rest] = chunks;
      try {
        const handle = await client.workflow.signalWithStart(invoiceExport, {
          workflowId,
          taskQueue,
          args: [{ tenant: request.tenant, exportId: request.exportId, expected: request.invoices.length, ...timing, ...(previous === undefined ? {} : { mayAlreadyExist: true }) }],
          priority: { fairnessKey: request.tenant },
          signal: addInvoicesSignal,
          signalArgs: [first],
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          typedSearchAttributes: [{ key: TenantKey, value: request.tenant }],
          staticSummary: `Summa export ${request.exportId} (${request.tenant}, ${request.invoices.length} fakturor)`,
        });
        // Every chunk is sent on every delivery: the export ignores invoices it has, so a delivery cut short by a
        // crash and sent again loses nothing.
        for (const chunk of rest) await handle.signal(addInvoicesSignal, chunk);
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'alreadyFinished' };
        throw error;
      }
      return { workflowId, outcome: previous?.status.name === 'RUNNING' ? 'alreadyRunning' : 'started' };
    },

    async status(tenant: string, invoiceId: string) {
      const workflowId = invoiceWorkflowId(tenant, invoiceId);
      const description = await describe(workflowId);
      if (description === undefined) return undefined;
      return await client.workflow.getHandle(workflowId).query(statusQuery);
    },

    async exportProgress(tenant: string, exportId: string): Promise<ExportProgress | undefined> {
      const workflowId = exportWorkflowId(tenant, exportId);
      if ((await describe(workflowId)) === undefined) return undefined;
      return await client.workflow.getHandle(workflowId).query(progressQuery);
    },

    async retry(tenant: string, invoiceId: string) {
      const view = await requireWaiting(tenant, invoiceId);
      if (view.status !== 'NeedsAttention') throw new TransferStateError(`Invoice ${invoiceId} of ${tenant} is ${view.status}, not waiting for a retry.`);
      await client.workflow.getHandle(view.workflowId).signal(retrySignal);
    },

    async cancel(tenant: string, invoiceId: string, reason: string) {
      const view = await requireWaiting(tenant, invoiceId);
      await client.workflow.getHandle(view.workflowId).signal(cancelSignal, { reason });
    },

    async stuck(tenant?: string) {
      return (await waiting(tenant)).map((entry) => entry.view);
    },

    async retryAll(tenant: string, filter: StuckFilter = {}) {
      const chosen = matching(await waiting(tenant), filter);
      await inBatches(chosen, (entry) => client.workflow.getHandle(entry.view.workflowId).signal(retrySignal));
      return { workflowIds: chosen.map((entry) => entry.view.workflowId) };
    },

    async cancelAll(tenant: string, reason: string, filter: StuckFilter = {}) {
      const chosen = matching(await waiting(tenant), filter);
      await inBatches(chosen, (entry) => client.workflow.getHandle(entry.view.workflowId).signal(cancelSignal, { reason }));
      return { workflowIds: chosen.map((entry) => entry.view.workflowId) };
    },

    async cancelExport(tenant: string, exportId: string, reason: string) {
      const workflowId = exportWorkflowId(tenant, exportId);
      const description = await describe(workflowId);
      if (description === undefined) throw new TransferStateError(`Export ${exportId} of ${tenant} was never sent.`);
      if (description.status.name !== 'RUNNING') throw new TransferStateError(`Export ${exportId} of ${tenant} has already finished; there is nothing to cancel.`);
      await client.workflow.getHandle(workflowId).signal(cancelExportSignal, { reason });
    },
  };

  /** The transfers of `tenant` (or all tenants) that need attention, each with when it started. */
  async function waiting(tenant?: string): Promise<{ view: TransferView; startedAt: Date }[]> {
    // This integration's task queue only: another integration (or test run) may share the namespace.
    const filters = [`${TransferStatusKey.name} = 'NeedsAttention'`, `ExecutionStatus = 'Running'`, `TaskQueue = '${options.taskQueue.replace(/'/g, '')}'`, ...(tenant === undefined ? [] : [`${TenantKey.name} = '${tenant.replace(/'/g, '')}'`])];
    const entries: { view: TransferView; startedAt: Date }[] = [];
    for await (const execution of client.workflow.list({ query: filters.join(' AND ') })) {
      try {
        entries.push({ view: await client.workflow.getHandle(execution.workflowId).query(statusQuery), startedAt: execution.startTime });
      } catch (error) {
        // No worker answers (all stopped, say): the operator still sees the invoice, from its search attributes.
        const attributes = execution.typedSearchAttributes;
        entries.push({
          startedAt: execution.startTime,
          view: {
            workflowId: execution.workflowId,
            tenant: attributes.get(TenantKey) ?? '',
            invoiceId: attributes.get(SummaInvoiceIdKey) ?? '',
            status: 'NeedsAttention',
            step: undefined,
            retries: 0,
            message: `Meddelandet kunde inte läsas: ingen worker svarar (${error instanceof Error ? error.message : String(error)}).`,
            fortnoxInvoiceNumber: attributes.get(FortnoxInvoiceNumberKey),
            fortnoxCustomerNumber: attributes.get(FortnoxCustomerNumberKey),
          },
        });
      }
    }
    return entries;
  }
  return service;
}

/** The entries a bulk retry or cancel touches. A view that could not be read (no worker) has no step: kept only without a step filter. */
function matching(entries: { view: TransferView; startedAt: Date }[], filter: StuckFilter): { view: TransferView; startedAt: Date }[] {
  return entries.filter((entry) => (filter.step === undefined || entry.view.step === filter.step) && (filter.since === undefined || entry.startedAt >= filter.since));
}

/** Signals many workflows, twenty at a time: fast for a month-end's worth, without a burst of hundreds of calls. */
async function inBatches<T>(items: T[], send: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += 20) await Promise.all(items.slice(start, start + 20).map(send));
}

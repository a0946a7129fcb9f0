import type { SummaExport, SummaInvoice } from '../summa/invoice-contract.js';
import type { ExportProgress, TransferView } from './status.js';

/**
 * What callers (the hook server, the CLI, Summa's own code) can ask of the integration. Implemented on Temporal by
 * `src/client/`.
 */
export interface TransferService {
  /** Starts the invoice's transfer; a repeat while it runs joins it, a repeat after it succeeded starts nothing. */
  transfer(invoice: SummaInvoice): Promise<{ workflowId: string; outcome: 'started' | 'alreadyRunning' | 'alreadyTransferred' }>;
  /** Starts (or joins) a batch export; its invoices are transferred by the same per-invoice workflows. */
  export(request: SummaExport): Promise<{ workflowId: string; outcome: 'started' | 'alreadyRunning' | 'alreadyFinished' }>;
  /** The transfer's state, or undefined when the invoice was never sent. */
  status(tenant: string, invoiceId: string): Promise<TransferView | undefined>;
  exportProgress(tenant: string, exportId: string): Promise<ExportProgress | undefined>;
  /** Resumes a transfer that needs attention from the step that failed. */
  retry(tenant: string, invoiceId: string): Promise<void>;
  /** Gives up on a transfer; Summa is told, with the reason. */
  cancel(tenant: string, invoiceId: string, reason: string): Promise<void>;
  /** Every transfer of the tenant (or of all tenants) that needs attention. */
  stuck(tenant?: string): Promise<TransferView[]>;
  /** Retries every transfer of the tenant that needs attention and matches `filter`; answers which it retried. */
  retryAll(tenant: string, filter?: StuckFilter): Promise<{ workflowIds: string[] }>;
  /** Cancels every transfer of the tenant that needs attention and matches `filter`; Summa is told each time. */
  cancelAll(tenant: string, reason: string, filter?: StuckFilter): Promise<{ workflowIds: string[] }>;
  /** Cancels an export's queued transfers (running and finished ones are left alone), as Cancel in the Web UI does. */
  cancelExport(tenant: string, exportId: string, reason: string): Promise<void>;
}

/** Which of a tenant's transfers that need attention a bulk retry or cancel touches; all when empty. */
export interface StuckFilter {
  /** Only those stopped at this step (`validateAccounts`, `createInvoice`, … as the status query names it). */
  step?: string;
  /** Only transfers started at or after this time. */
  since?: Date;
}

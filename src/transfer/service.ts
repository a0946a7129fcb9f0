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
}

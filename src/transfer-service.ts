import type { SummaInvoice } from './summa/invoice-contract.js';

/** Where an invoice's transfer stands, as operators and Summa see it. */
export const transferStatuses = ['Queued', 'Transferring', 'NeedsAttention', 'Transferred', 'Cancelled'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

/** The steps of one transfer, in order. */
export const transferSteps = [
  'validateAccounts',
  'upsertCustomer',
  'ensureCostCentres',
  'ensureProject',
  'ensureTermsOfPayment',
  'createInvoice',
  'checkTotals',
  'writeBack',
  'postInvoice',
] as const;
export type TransferStep = (typeof transferSteps)[number];

export interface TransferView {
  workflowId: string;
  tenant: string;
  invoiceId: string;
  status: TransferStatus;
  /** The step running, or the one that needs attention. */
  step: TransferStep | undefined;
  /** Attempts of the current step so far. */
  attempts: number;
  /** What a person must fix, in Swedish, while the status is NeedsAttention; the reason after a cancel. */
  message: string | undefined;
  fortnoxInvoiceNumber: string | undefined;
  fortnoxCustomerNumber: string | undefined;
}

export interface ExportRequest {
  tenant: string;
  exportId: string;
  invoices: SummaInvoice[];
}

export interface ExportProgress {
  workflowId: string;
  total: number;
  transferred: number;
  needsAttention: number;
  cancelled: number;
  running: number;
  queued: number;
  finished: boolean;
}

/**
 * What callers (the hook server, the CLI, Summa's own code) can ask of the integration. Implemented on Temporal by
 * `src/client.ts`.
 */
export interface TransferService {
  /** Starts the invoice's transfer; a repeat while it runs joins it, a repeat after it succeeded starts nothing. */
  transfer(invoice: SummaInvoice): Promise<{ workflowId: string; outcome: 'started' | 'alreadyRunning' | 'alreadyTransferred' }>;
  /** Starts (or joins) a batch export; its invoices are transferred by the same per-invoice workflows. */
  export(request: ExportRequest): Promise<{ workflowId: string; outcome: 'started' | 'alreadyRunning' | 'alreadyFinished' }>;
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

export const invoiceWorkflowId = (tenant: string, invoiceId: string) => `invoice/${tenant}/${invoiceId}`;
export const exportWorkflowId = (tenant: string, exportId: string) => `export/${tenant}/${exportId}`;

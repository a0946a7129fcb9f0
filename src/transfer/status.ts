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
  /** How many times a person has asked for the current step to be run again (retry after needs attention). */
  retries: number;
  /** What a person must fix, in Swedish, while the status is NeedsAttention; the reason after a cancel. */
  message: string | undefined;
  fortnoxInvoiceNumber: string | undefined;
  fortnoxCustomerNumber: string | undefined;
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

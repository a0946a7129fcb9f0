/**
 * Where an invoice's transfer stands, as operators and Summa see it. `WaitingForFortnox` and `WaitingForSumma`: a
 * service does not answer and the step keeps being retried on its own, for hours; nobody needs to act.
 */
export const transferStatuses = ['Queued', 'Transferring', 'WaitingForFortnox', 'WaitingForSumma', 'NeedsAttention', 'Transferred', 'Cancelled'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

/** The steps of one transfer, in order: the five of the design, then posting for tenants that book or send. */
export const transferSteps = ['validateAccounts', 'upsertCustomer', 'ensureRegisters', 'createInvoice', 'writeBack', 'postInvoice'] as const;
/** The steps of transfers started before the five-step transfer, which may still be open (workflows/legacy/). */
export const legacyTransferSteps = ['ensureCostCentres', 'ensureProject', 'ensureTermsOfPayment', 'checkTotals'] as const;
export type TransferStep = (typeof transferSteps)[number] | (typeof legacyTransferSteps)[number];

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

/*
 * The failure types activities raise and workflows act on; one list, so the two sides cannot drift. Types are
 * strings of our own, never class names (the SDK would otherwise derive them from `constructor.name`).
 * Pure: imported by workflow code.
 */
export const failureTypes = {
  /** A person must fix something (data, an account, consent); the message says what, in Swedish. Not retried. */
  needsAttention: 'NeedsAttention',
  /** Fortnox did not answer or answered 429/5xx; retried with backoff until the step's bound. */
  fortnoxUnavailable: 'FortnoxUnavailable',
  /** Summa did not take the write-back; retried with backoff. */
  summaUnavailable: 'SummaUnavailable',
  /** The transfer was cancelled by signal; the workflow ends with this failure so that it may run again. */
  transferCancelled: 'TransferCancelled',
} as const;
export type FailureType = (typeof failureTypes)[keyof typeof failureTypes];

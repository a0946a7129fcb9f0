/**
 * Patch ids of deliberate changes to the workflows (`patched()`): a run whose history lacks the marker replays the
 * code it started with. Temporal records each patch a run has taken in its `TemporalChangeVersion` search
 * attribute, so `TemporalChangeVersion IS NULL` finds the runs still on the code before any patch.
 */
/** The five-step transfer on one task queue with fairness keys (before: eight steps, a task queue per tenant). */
export const FIVE_STEP_TRANSFER = 'five-step-transfer';

import { allHandlersFinished, condition, continueAsNew, defineQuery, defineSignal, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import { heartbeat, leave, sharesAt, type BudgetAnswer, type BudgetState } from '../src/transfer/index.js';

/** A worker process asks for its share of Fortnox's limit (every HEARTBEAT_MS, while it runs). */
export const budgetHeartbeatUpdate = defineUpdate<BudgetAnswer, [{ processId: string }]>('heartbeat');
/**
 * A worker process that has stopped cleanly gives its share back. A signal, not an update: Temporal keeps it even
 * when no worker runs workflows at that moment (the last process leaving), so leaving never waits for an answer.
 */
export const budgetLeftSignal = defineSignal<[{ processId: string }]>('left');
/** The same as an update: kept so that coordinators whose history holds one still replay. */
export const budgetLeaveUpdate = defineUpdate<void, [{ processId: string }]>('leave');

/** Each process's share now: what it may send per tenant per 5 s, and whether it still heartbeats. */
export const budgetSharesQuery = defineQuery<{ processId: string; share: number; live: boolean }[]>('shares');

/** Updates per run before continuing as new, so the history stays small however long it runs. */
const UPDATES_PER_RUN = 500;

/** The workflow id of the coordinator of the worker processes that serve one task queue. */
export const fortnoxBudgetWorkflowId = (taskQueue: string) => `fortnox-budget/${taskQueue}`;

/**
 * Splits Fortnox's per-tenant limit between the worker processes that are alive, without anyone configuring how
 * many there are (the arithmetic and why it never gives out more than 25: src/transfer/fortnox-budget.ts). Runs as
 * long as the workers do; started by the first worker's heartbeat (update-with-start).
 */
export async function fortnoxBudget(input: { state?: BudgetState } = {}): Promise<void> {
  const state: BudgetState = input.state ?? { members: {} };
  let updates = 0;
  const valid = ({ processId }: { processId: string }) => {
    if (typeof processId !== 'string' || processId === '' || processId.length > 200) throw new Error('processId must be a non-empty string');
  };
  setHandler(budgetSharesQuery, () => sharesAt(state, Date.now()));
  setHandler(
    budgetHeartbeatUpdate,
    ({ processId }) => {
      updates += 1;
      return heartbeat(state, processId, Date.now());
    },
    { validator: valid },
  );
  setHandler(
    budgetLeaveUpdate,
    ({ processId }) => {
      updates += 1;
      leave(state, processId, Date.now());
    },
    { validator: valid },
  );
  setHandler(budgetLeftSignal, (input) => {
    updates += 1;
    if (typeof input?.processId === 'string') leave(state, input.processId, Date.now());
  });
  await condition(() => updates >= UPDATES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof fortnoxBudget>({ state });
}

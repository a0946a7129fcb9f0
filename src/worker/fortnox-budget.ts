import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { HEARTBEAT_MS, LEASE_MS } from '../transfer/index.js';
import { budgetHeartbeatUpdate, budgetLeftSignal, fortnoxBudget, fortnoxBudgetWorkflowId } from '../../workflows/fortnox-budget.js';

/** How long a stopping process tries to give its share back. */
const LEAVE_DEADLINE_MS = 2_000;

export interface FortnoxBudgetMember {
  /** This process's id in the coordinator. */
  processId: string;
  /** Requests per tenant per 5 s this process may send now (0 before the first answer and after its lease ran out). */
  share(): number;
  /** Gives the share back once this process has made its last Fortnox call. */
  leave(): Promise<void>;
}

/**
 * This worker process's membership in the split of Fortnox's limit (workflows/fortnox-budget.ts): it asks for its
 * share every HEARTBEAT_MS and hands every answer to `onShare`. An answer is good for LEASE_MS after the question was
 * sent; when no newer one comes (Temporal unreachable, this process stalled), the share drops to 0 and this process
 * stops calling Fortnox until it hears again — the coordinator counts the old share as taken until then.
 */
export function joinFortnoxBudget(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter?: WorkerOptions['dataConverter'];
  onShare: (share: number) => void;
}): FortnoxBudgetMember {
  const client = new Client({ connection: options.connection, namespace: options.namespace, ...(options.dataConverter === undefined ? {} : { dataConverter: options.dataConverter }) });
  const processId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const workflowId = fortnoxBudgetWorkflowId(options.taskQueue);
  let share = 0;
  let validUntil = 0;
  let stopped = false;
  const apply = (next: number) => {
    if (next === share) return;
    share = next;
    options.onShare(next);
  };
  const ask = async () => {
    const sentAt = performance.now();
    try {
      const answer = await client.workflow.executeUpdateWithStart(budgetHeartbeatUpdate, {
        args: [{ processId }],
        startWorkflowOperation: new WithStartWorkflowOperation(fortnoxBudget, {
          workflowId,
          taskQueue: options.taskQueue,
          args: [{}],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // Ahead of every transfer's workflow tasks: a late answer would stall every process's Fortnox calls.
          priority: { priorityKey: 1 },
          staticSummary: 'Splits Fortnox’s per-tenant limit between the worker processes',
        }),
      });
      if (stopped) return;
      validUntil = sentAt + LEASE_MS;
      apply(answer.share);
    } catch {
      // Unreachable for now: the lease runs out below, and the next heartbeat tries again.
    }
  };
  const lapse = setInterval(() => {
    if (performance.now() >= validUntil) apply(0);
  }, 250);
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    if (stopped) return;
    await ask();
    if (!stopped) timer = setTimeout(() => void loop(), HEARTBEAT_MS);
  };
  void loop();
  return {
    processId,
    share: () => share,
    leave: async () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(lapse);
      apply(0);
      try {
        // Briefly: when Temporal has gone first (Ctrl-C reaches the dev server too), stopping does not wait on retries.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          client.workflow.getHandle(workflowId).signal(budgetLeftSignal, { processId }),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, LEAVE_DEADLINE_MS))),
        ]).finally(() => clearTimeout(timer));
      } catch {
        // Not heard: the coordinator frees the share when it stops counting this process (a hold after its last heartbeat).
      }
    },
  };
}

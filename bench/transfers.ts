// Driving transfers through the client API and telling when they are done: exports started together and awaited,
// and the Summa sandbox's record of write-backs.
import type { ExportSummary, invoiceExport } from '../workflows/invoice-export.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import { exportWorkflowId } from '../src/transfer/index.js';
import { summaControl } from '../src/testkit/summa-control.js';
import type { Stack } from './stack.js';

/** How many of `invoices` Summa has been told are transferred, with a Fortnox number. */
export async function writtenBack(summaUrl: string, invoices: readonly SummaInvoice[]): Promise<number> {
  const state = await summaControl(summaUrl).latest();
  return invoices.filter((invoice) => {
    const update = state[`${invoice.tenant}/${invoice.invoiceId}`];
    return update?.status === 'transferred' && update.fortnoxInvoiceNumber !== undefined;
  }).length;
}

/** Logs `line()` to stderr every `everyMs` until the returned function is called. */
export function progress(line: () => Promise<string>, everyMs = 15_000): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    line()
      .then((text) => console.error(`  … ${Math.round((performance.now() - started) / 1000)} s: ${text}`))
      .catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}

/**
 * Starts one export per group at the same moment and waits until every export has finished, i.e. every invoice is
 * in Fortnox and its number written back to Summa. Returns the wall time in seconds, from the first start.
 */
export async function runExports(stack: Stack, groups: { tenant: string; exportId: string; invoices: SummaInvoice[] }[], label: string): Promise<{ wallSeconds: number; summaries: ExportSummary[] }> {
  const all = groups.flatMap((group) => group.invoices);
  const stopProgress = progress(async () => `${label}: ${await writtenBack(stack.summa.url, all)}/${all.length} written back`);
  try {
    const started = performance.now();
    await Promise.all(groups.map((group) => stack.service.export(group)));
    const results = Promise.all(
      groups.map((group) => stack.client.workflow.getHandle<typeof invoiceExport>(exportWorkflowId(group.tenant, group.exportId)).result()),
    );
    let done = false;
    // A transfer that needs attention would hold its export forever: stop with its message instead.
    const watch = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        for (const group of groups) {
          const state = done ? undefined : await stack.service.exportProgress(group.tenant, group.exportId).catch(() => undefined);
          if ((state?.needsAttention ?? 0) > 0) {
            const stuck = await stack.service.stuck(group.tenant);
            throw new Error(`${label}: ${group.exportId} has transfers that need attention: ${stuck.map((view) => `${view.invoiceId}: ${view.message ?? ''}`).join('; ')}`);
          }
        }
      }
    })();
    const summaries = await Promise.race([results, watch.then(() => results)]).finally(() => (done = true));
    const wallSeconds = (performance.now() - started) / 1000;
    const failed = summaries.filter((summary) => summary.transferred !== summary.total);
    if (failed.length > 0) throw new Error(`${label}: exports did not transfer everything: ${JSON.stringify(failed)}\nworker said:\n${stack.workerOutput()}`);
    return { wallSeconds, summaries };
  } finally {
    stopProgress();
  }
}

/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export interface ActivityCount {
  /** Activities on the task queue under the tenant's fairness key: the steps that call Fortnox. */
  fortnoxActivities: number;
  /** Other activities on the task queue (none in the five-step transfer; the write-back in older ones). */
  otherActivities: number;
  /** Local activities (the cache-first steps and the write-back), recorded as markers in the history. */
  localActivities: number;
  transfers: number;
}

/**
 * Counts the activities every invoice transfer ran, from their histories. The Fortnox ones are what the server's
 * per-fairness-key limit (FORTNOX_ACTIVITIES_PER_SECOND per tenant) paces; local activities never reach the server's
 * matching.
 */
export async function countActivities(stack: Stack): Promise<ActivityCount> {
  const ids: string[] = [];
  for await (const execution of stack.client.workflow.list({ query: `WorkflowType = 'invoiceTransfer'` })) ids.push(execution.workflowId);
  const count: ActivityCount = { fortnoxActivities: 0, otherActivities: 0, localActivities: 0, transfers: ids.length };
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let id = ids.shift(); id !== undefined; id = ids.shift()) {
        const history = await stack.client.workflow.getHandle(id).fetchHistory();
        for (const event of history.events ?? []) {
          if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') count.localActivities += 1;
          const scheduled = event.activityTaskScheduledEventAttributes;
          if (scheduled === undefined || scheduled === null) continue;
          const queue = scheduled.taskQueue?.name ?? '';
          if (scheduled.priority?.fairnessKey || queue.includes('.fortnox.')) count.fortnoxActivities += 1;
          else count.otherActivities += 1;
        }
      }
    }),
  );
  return count;
}

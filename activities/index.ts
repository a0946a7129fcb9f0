import { CancelledFailure, Context } from '@temporalio/activity';
import { FortnoxCallRefusedError } from '../src/fortnox/errors.js';
import { checkTotals } from './check-totals.js';
import { createFortnoxInvoice, createInvoiceOnce, creditFortnoxInvoice } from './create-fortnox-invoice.js';
import type { ActivityDeps } from './deps.js';
import { ensureCostCentres } from './ensure-cost-centres.js';
import { ensureProject } from './ensure-project.js';
import { ensureRegisters } from './ensure-registers.js';
import { ensureTermsOfPayment } from './ensure-terms-of-payment.js';
import { postInvoice } from './post-invoice.js';
import { reportToSumma } from './report-to-summa.js';
import { upsertCustomer } from './upsert-customer.js';
import { validateAccounts } from './validate-accounts.js';

export type { ActivityDeps } from './deps.js';

/** How often a running activity tells Temporal it is alive (and hears whether it was cancelled). */
const HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * Runs one activity: heartbeats while it works, so that when a worker dies mid-call Temporal notices within the
 * heartbeat timeout and retries elsewhere, and so that a cancellation reaches it (Temporal delivers cancellation
 * with a heartbeat's answer). A cancelled activity's Fortnox calls are aborted through the client's signal; what
 * it then throws is reported as the cancellation. A local activity does not heartbeat (it cannot).
 */
function activity<Input, Output>(run: (input: Input) => Promise<Output>): (input: Input) => Promise<Output> {
  return async (input) => {
    const context = Context.current();
    const timer = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
    try {
      return await run(input);
    } catch (error) {
      if (context.cancellationSignal.aborted) throw new CancelledFailure(String(context.cancellationSignal.reason ?? 'cancelled'));
      throw error;
    } finally {
      clearInterval(timer);
    }
  };
}

/** A step run from this process's cache: its value, or word that it needs Fortnox (its regular activity then runs). */
export type FromCache<T> = { kind: 'done'; value: T } | { kind: 'needsFortnox' };

/**
 * A step that can often be answered from this process's cache, run first as a local activity: cheap, no task queue
 * round trip. The Fortnox client refuses every call from a local activity (src/worker/fortnox-clients.ts), so when
 * the cache cannot answer, nothing has been sent and the step says `needsFortnox`; the workflow then runs the same
 * step as a regular activity on the tenant's fair share of the queue. Run as a regular activity it is always `done`.
 */
function cacheFirst<Input, Output>(run: (input: Input) => Promise<Output>): (input: Input) => Promise<FromCache<Output>> {
  return activity(async (input) => {
    try {
      return { kind: 'done', value: await run(input) };
    } catch (error) {
      if (error instanceof FortnoxCallRefusedError) return { kind: 'needsFortnox' };
      throw error;
    }
  });
}

/**
 * The five steps of a transfer (and posting, for tenants that book or send), with their dependencies injected: real
 * clients in production, sandbox ones in demo mode and tests.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    validateAccounts: cacheFirst(validateAccounts(deps)),
    upsertCustomer: cacheFirst(upsertCustomer(deps)),
    ensureRegisters: cacheFirst(ensureRegisters(deps)),
    createFortnoxInvoice: activity(createFortnoxInvoice(deps)),
    reportToSumma: activity(reportToSumma(deps)),
    postInvoice: activity(postInvoice(deps)),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * The activities of transfers started before the five-step transfer (workflows/legacy/), under their names and with
 * their inputs, served on the per-tenant task queues those transfers schedule them on until none is left running.
 * `reportToSumma` they take from the main task queue, where it is the same activity as above.
 */
export function createLegacyActivities(deps: ActivityDeps) {
  return {
    validateAccounts: activity(validateAccounts(deps)),
    upsertCustomer: activity(upsertCustomer(deps)),
    ensureCostCentres: activity(ensureCostCentres(deps)),
    ensureProject: activity(ensureProject(deps)),
    ensureTermsOfPayment: activity(ensureTermsOfPayment(deps)),
    createFortnoxInvoice: activity(createInvoiceOnce(deps)),
    creditFortnoxInvoice: activity(creditFortnoxInvoice(deps)),
    checkTotals: activity(checkTotals(deps)),
    postInvoice: activity(postInvoice(deps)),
  };
}

export type LegacyActivities = ReturnType<typeof createLegacyActivities> & Pick<Activities, 'reportToSumma'>;

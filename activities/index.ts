import { heartbeat } from '@temporalio/activity';
import { checkTotals } from './check-totals.js';
import { createFortnoxInvoice, creditFortnoxInvoice } from './create-fortnox-invoice.js';
import type { ActivityDeps } from './deps.js';
import { ensureCostCentres } from './ensure-cost-centres.js';
import { ensureProject } from './ensure-project.js';
import { ensureTermsOfPayment } from './ensure-terms-of-payment.js';
import { postInvoice } from './post-invoice.js';
import { reportToSumma } from './report-to-summa.js';
import { upsertCustomer } from './upsert-customer.js';
import { validateAccounts } from './validate-accounts.js';

export type { ActivityDeps } from './deps.js';

/** How often a running activity tells Temporal it is alive. */
const HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * Heartbeats while `run` works, so that when a worker dies mid-call Temporal notices within the heartbeat timeout
 * and retries elsewhere, instead of waiting out the whole start-to-close timeout.
 */
function heartbeating<Input, Output>(run: (input: Input) => Promise<Output>): (input: Input) => Promise<Output> {
  return async (input) => {
    const timer = setInterval(() => heartbeat(), HEARTBEAT_INTERVAL_MS);
    try {
      return await run(input);
    } finally {
      clearInterval(timer);
    }
  };
}

/** Builds the activities with their dependencies injected: real clients in production, sandbox ones in tests. */
export function createActivities(deps: ActivityDeps) {
  return {
    validateAccounts: heartbeating(validateAccounts(deps)),
    upsertCustomer: heartbeating(upsertCustomer(deps)),
    ensureCostCentres: heartbeating(ensureCostCentres(deps)),
    ensureProject: heartbeating(ensureProject(deps)),
    ensureTermsOfPayment: heartbeating(ensureTermsOfPayment(deps)),
    createFortnoxInvoice: heartbeating(createFortnoxInvoice(deps)),
    creditFortnoxInvoice: heartbeating(creditFortnoxInvoice(deps)),
    checkTotals: heartbeating(checkTotals(deps)),
    postInvoice: heartbeating(postInvoice(deps)),
    reportToSumma: heartbeating(reportToSumma(deps)),
  };
}

export type Activities = ReturnType<typeof createActivities>;

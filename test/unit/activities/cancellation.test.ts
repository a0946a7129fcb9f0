import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import type { ValidateAccountsInput } from '../../../activities/validate-accounts.js';
import { activityEnvironment, apiCalls, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { failureOf } from '../../helpers/failure-of.js';
import { useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';
import { anInvoice } from '../../helpers/invoices.js';

const today = new Date().toISOString().slice(0, 10);
const validation: ValidateAccountsInput = { tenant: TENANT, invoiceDate: today, rows: [{ account: 3001, vatPercent: 25, costCentre: undefined }] };

/**
 * Temporal tells an activity it is cancelled in the answer to a heartbeat; the activity's Context then aborts its
 * cancellation signal, which the worker's Fortnox clients pass to every call (src/worker/fortnox-clients.ts).
 */
describe('a cancelled activity', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });

  /** Waits until the sandbox has taken `count` hits of its first fault: our request is in Fortnox, unanswered. */
  async function inFortnox(count = 1): Promise<void> {
    while (((await kit.control.faults())[0]?.hits ?? 0) < count) await sleep(10);
  }

  it('heartbeats while Fortnox is slow, and stops at once when cancelled, dropping the call', async () => {
    await kit.control.addFault({ route: '/3/financialyears', kind: 'latency', latencyMs: 20_000 });
    const env = activityEnvironment();
    const running = env.run(createActivities(sandboxActivityDeps(kit.sandbox)).validateAccounts, validation);
    await inFortnox();
    await once(env, 'heartbeat');
    const cancelledAt = Date.now();
    env.cancel();
    expect(await failureOf(running)).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - cancelledAt).toBeLessThan(1_000);
    await sleep(50);
    expect(await apiCalls(kit.control)).toEqual([]); // the chart of accounts was never asked for
  });

  it('never sends a call that was still waiting for a rate-limit slot', async () => {
    const deps = sandboxActivityDeps(kit.sandbox, { rateLimit: { requests: 1, windowMs: 60_000 } });
    const env = activityEnvironment();
    const running = env.run(createActivities(deps).validateAccounts, validation);
    // The financial year took the one slot; the chart of accounts waits a minute for the next.
    while ((await apiCalls(kit.control)).length === 0) await sleep(10);
    await sleep(50);
    env.cancel();
    expect(await failureOf(running)).toBeInstanceOf(CancelledFailure);
    await sleep(50);
    expect(await apiCalls(kit.control)).toEqual(['GET /3/financialyears']);
  });

  it('sends nothing once cancelled', async () => {
    const env = activityEnvironment();
    env.cancel();
    expect(await failureOf(env.run(createActivities(sandboxActivityDeps(kit.sandbox)).validateAccounts, validation))).toBeInstanceOf(CancelledFailure);
    expect((await kit.control.requests()).length).toBe(0);
  });

  it('cancelled while Fortnox creates the invoice, leaves one invoice that the next attempt finds', async () => {
    const deps = sandboxActivityDeps(kit.sandbox);
    const invoice = anInvoice({ project: undefined });
    const customerNumber = invoice.customer.customerNumber ?? '';
    await runActivity(createActivities(deps).upsertCustomer, { tenant: TENANT, customer: invoice.customer });
    await kit.control.addFault({ route: '/3/invoices', method: 'POST', kind: 'latency', latencyMs: 500, count: 1 });
    const env = activityEnvironment();
    const running = env.run(createActivities(deps).createFortnoxInvoice, { invoice, customerNumber, termsOfPayment: '30', mayAlreadyExist: false });
    await inFortnox();
    env.cancel();
    expect(await failureOf(running)).toBeInstanceOf(CancelledFailure);

    // Fortnox did not notice that we stopped listening: the invoice is made all the same.
    const made = async () => (await kit.control.state('1')).invoices.filter((stored) => stored.ExternalInvoiceReference1 === invoice.invoiceId);
    while ((await made()).length === 0) await sleep(20);
    const again = await runActivity(createActivities(deps).createFortnoxInvoice, { invoice, customerNumber, termsOfPayment: '30', mayAlreadyExist: true });
    expect(again).toMatchObject({ outcome: 'alreadyCreated', documentNumber: String((await made())[0]?.DocumentNumber) });
    expect(await made()).toHaveLength(1);
  });
});

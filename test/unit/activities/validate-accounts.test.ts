import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, type ActivityDeps } from '../../../activities/index.js';
import type { ValidateAccountsInput } from '../../../activities/validate-accounts.js';
import type { FortnoxClient } from '../../../src/fortnox/client.js';
import type { FinancialYear } from '../../../src/fortnox/resources/financial-years.js';
import { failureTypes } from '../../../src/transfer/index.js';
import { activityFailure, apiCalls, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { sandboxClient, useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';

const today = new Date().toISOString().slice(0, 10);
const row = (account: number, vatPercent: number, costCentre?: string) => ({ account, vatPercent, costCentre });
const input = (rows: ValidateAccountsInput['rows'], extra: Partial<ValidateAccountsInput> = {}): ValidateAccountsInput => ({
  tenant: TENANT,
  invoiceDate: today,
  rows,
  ...extra,
});

describe('validateAccounts', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let deps: ActivityDeps;
  let activities: ReturnType<typeof createActivities>;
  /** Fortnox as a person at the print shop sees it: changes made there, outside the integration. */
  let person: FortnoxClient;
  let year: FinancialYear;
  let period: string;

  beforeAll(async () => {
    person = sandboxClient(kit.sandbox, '1');
    const found = await person.financialYears.byDate(today);
    if (found === undefined) throw new Error('the sandbox seeds the current financial year');
    year = found;
    period = `räkenskapsåret ${year.FromDate}–${year.ToDate}`;
  });
  beforeEach(async () => {
    deps = sandboxActivityDeps(kit.sandbox);
    activities = createActivities(deps);
    await kit.control.clearRequests();
  });

  it('returns the financial year of the invoice date when every account is fine', async () => {
    const result = await runActivity(activities.validateAccounts, input([row(3001, 25), row(3003, 6), row(3041, 25, 'TRYCK'), row(3004, 0)]));
    expect(result).toEqual({ kind: 'done', value: { financialYearId: year.Id } });
  });

  it('names a missing account with its row and the financial year', async () => {
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3001, 25), row(3999, 25)])));
    expect(failure.message).toBe(`Konto 3999 finns inte i Fortnox ${period} (rad 2) — lägg upp kontot. Tryck sedan Försök igen.`);
    expect(failure.details).toEqual([{ problems: [{ problem: 'missing', account: 3999, where: ['rad 2'] }] }]);
  });

  it('names an inactive account', async () => {
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3010, 25)])));
    expect(failure.message).toBe(`Konto 3010 är inaktivt i Fortnox ${period} (rad 1) — aktivera kontot. Tryck sedan Försök igen.`);
  });

  it('names an account that requires a cost centre on a row without one', async () => {
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3041, 25, 'TRYCK'), row(3051, 25)])));
    expect(failure.message).toBe('Konto 3051 kräver kostnadsställe i Fortnox (rad 2) — ange kostnadsställe på raden i Summa. Tryck sedan Försök igen.');
  });

  it("names a row whose VAT rate does not match its account's VAT code", async () => {
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3001, 6), row(3003, 6)])));
    expect(failure.message).toBe(
      'Momssatsen 6 % passar inte konto 3001, som har momskod MP1 (25 %) i Fortnox (rad 1) — byt konto eller momssats i Summa. Tryck sedan Försök igen.',
    );
    expect(failure.details).toEqual([{ problems: [{ problem: 'wrongVat', account: 3001, where: ['rad 1'] }] }]);
  });

  it('names every problem in one message, each account once with all its rows', async () => {
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3999, 25), row(3010, 25), row(3999, 25), row(3001, 25), row(3999, 25)])));
    expect(failure.message).toBe(
      `Konto 3999 finns inte i Fortnox ${period} (rader 1, 3, 5) — lägg upp kontot; konto 3010 är inaktivt i Fortnox ${period} (rad 2) — aktivera kontot. Tryck sedan Försök igen.`,
    );
  });

  it("checks a-conto deductions against the tenant's a-conto account", async () => {
    deps = sandboxActivityDeps(kit.sandbox, { posting: { acontoAccount: 2999 } });
    const failure = await activityFailure(runActivity(createActivities(deps).validateAccounts, input([row(3001, 25)], { acontoDeductionVats: [25] })));
    expect(failure.message).toBe(`Konto 2999 finns inte i Fortnox ${period} (a-contoavdrag 1) — lägg upp kontot. Tryck sedan Försök igen.`);
  });

  it('says so when Fortnox has no financial year for the invoice date', async () => {
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3001, 25)], { invoiceDate: '1999-06-30' })));
    expect(failure.message).toMatch(/^Fortnox har inget räkenskapsår för fakturadatumet 1999-06-30 — /);
  });

  it('answers from its cache while that is good, and reads Fortnox again before blaming a person', async () => {
    await runActivity(activities.validateAccounts, input([row(3001, 25)]));
    await kit.control.clearRequests();
    await runActivity(activities.validateAccounts, input([row(3001, 25)]));
    expect(await apiCalls(kit.control)).toEqual([]);

    // The cached chart says 3010 is inactive; a person has activated it in Fortnox since.
    await person.accounts.update(3010, year.Id, { Active: true });
    await kit.control.clearRequests();
    const result = await runActivity(activities.validateAccounts, input([row(3010, 25)]));
    expect(result).toEqual({ kind: 'done', value: { financialYearId: year.Id } });
    expect(await apiCalls(kit.control)).toEqual(['GET /3/financialyears', 'GET /3/accounts']);
  });

  it('run from cache (a local activity), sends nothing and asks for Fortnox when the cache cannot answer', async () => {
    expect(await runActivity(activities.validateAccounts, input([row(3001, 25)]), { isLocal: true })).toEqual({ kind: 'needsFortnox' });
    expect(await apiCalls(kit.control)).toEqual([]);

    await runActivity(activities.validateAccounts, input([row(3001, 25)]));
    await kit.control.clearRequests();
    expect(await runActivity(activities.validateAccounts, input([row(3001, 25)]), { isLocal: true })).toEqual({ kind: 'done', value: { financialYearId: year.Id } });
    expect(await apiCalls(kit.control)).toEqual([]);
  });

  it('turns Fortnox being down into a retryable failure', async () => {
    await kit.control.addFault({ route: '/3/financialyears', kind: 'status', status: 503 });
    const failure = await activityFailure(runActivity(activities.validateAccounts, input([row(3001, 25)])), failureTypes.fortnoxUnavailable);
    expect(failure.message).toMatch(/^Fortnox svarar inte just nu/);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { startSummaSandbox, type SummaSandbox } from '../../../src/sandbox/summa/index.js';
import { createSummaCallbackClient } from '../../../src/summa/callback-client.js';
import { summaControl, type SummaControl } from '../../../src/testkit/summa-control.js';
import { failureTypes } from '../../../src/transfer/index.js';
import { activityFailure, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';

const SECRET = 'summa-secret-0123456789';

describe('reportToSumma, against the Summa sandbox with the real write-back client', () => {
  const fortnox = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let summa: SummaSandbox;
  let control: SummaControl;
  /** The activity, signing with `secret` (Summa knows only SECRET). */
  const reportWith = (secret: string) =>
    createActivities(sandboxActivityDeps(fortnox.sandbox, { summa: createSummaCallbackClient({ baseUrl: summa.url, secretFor: () => secret }) })).reportToSumma;

  beforeAll(async () => {
    summa = await startSummaSandbox({ secretFor: (tenant) => (tenant === TENANT ? SECRET : undefined) });
    control = summaControl(summa);
  });
  beforeEach(async () => {
    await control.reset();
  });
  afterAll(async () => {
    await summa.close();
  });

  it('tells Summa the Fortnox number of a transferred invoice', async () => {
    await runActivity(reportWith(SECRET), { tenant: TENANT, invoiceId: 'F-1', status: 'transferred', fortnoxInvoiceNumber: '1001' });
    expect(await control.latest(TENANT)).toEqual({ 'demo/F-1': expect.objectContaining({ status: 'transferred', fortnoxInvoiceNumber: '1001' }) as unknown });
  });

  it('retries while Summa is down', async () => {
    await control.addFault({ kind: 'status', status: 503, count: 1 });
    const failure = await activityFailure(runActivity(reportWith(SECRET), { tenant: TENANT, invoiceId: 'F-1', status: 'cancelled' }), failureTypes.summaUnavailable);
    expect(failure.message).toMatch(/^Summa svarar inte just nu: .*HTTP 503/);
    expect(await control.latest(TENANT)).toEqual({});
  });

  it('asks a person to check the settings when Summa refuses the write-back, instead of retrying', async () => {
    const failure = await activityFailure(runActivity(reportWith('wrong-secret-0123456789'), { tenant: TENANT, invoiceId: 'F-1', status: 'cancelled' }));
    expect(failure.message).toMatch(/^Summa tog inte emot besked om faktura F-1 \(.*HTTP 401.*\) — kontrollera integrationens inställningar för Summa/);
  });
});

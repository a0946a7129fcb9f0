import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, createLegacyActivities } from '../../../activities/index.js';
import type { EnsureProjectInput } from '../../../activities/ensure-project.js';
import type { FortnoxClient } from '../../../src/fortnox/client.js';
import { activityFailure, apiCalls, apiWrites, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { sandboxClient, useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';

describe('the registers an invoice refers to (cost centres, project, terms of payment)', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let activities: ReturnType<typeof createActivities>;
  /** The same steps one at a time, as transfers started before ensureRegisters still run them. */
  let legacy: ReturnType<typeof createLegacyActivities>;
  let person: FortnoxClient;

  beforeAll(() => {
    person = sandboxClient(kit.sandbox, '1');
  });
  beforeEach(async () => {
    const deps = sandboxActivityDeps(kit.sandbox);
    activities = createActivities(deps);
    legacy = createLegacyActivities(deps);
    await kit.control.clearRequests();
  });

  describe('cost centres', () => {
    const ensure = (costCentres: { code: string; description: string }[]) => runActivity(legacy.ensureCostCentres, { tenant: TENANT, costCentres });

    it('creates the missing ones, not the ones Fortnox has, and reads the register once', async () => {
      expect(await ensure([{ code: 'TRYCK', description: 'Tryckeriet' }, { code: 'DIGI', description: 'Digitaltryck' }])).toEqual({ created: ['DIGI'] });
      expect(await person.costCentres.get('DIGI')).toMatchObject({ Description: 'Digitaltryck', Active: true });
      expect(await apiWrites(kit.control)).toEqual(['POST /3/costcenters']);

      await kit.control.clearRequests();
      expect(await ensure([{ code: 'DIGI', description: 'Digitaltryck' }, { code: 'TRYCK', description: 'Tryckeriet' }])).toEqual({ created: [] });
      expect(await apiCalls(kit.control)).toEqual([]);
    });

    it('reads back one created in Fortnox after the register was read, instead of failing', async () => {
      await ensure([{ code: 'TRYCK', description: 'Tryckeriet' }]); // reads and caches the register
      await person.costCentres.create({ Code: 'DIGI', Description: 'Digital' });
      await kit.control.clearRequests();
      expect(await ensure([{ code: 'DIGI', description: 'Digitaltryck' }])).toEqual({ created: [] });
      expect(await apiCalls(kit.control)).toEqual(['POST /3/costcenters', 'GET /3/costcenters/{Code}']);
      expect((await kit.control.state('1')).costCenters.filter((costCentre) => costCentre.Code === 'DIGI')).toHaveLength(1);
    });

    it('asks a person to activate an inactive one, after reading Fortnox again, and creates nothing', async () => {
      const failure = await activityFailure(ensure([{ code: 'NY', description: 'Ny' }, { code: 'GAMLA', description: 'Gamla' }]));
      expect(failure.message).toBe('Kostnadsställe GAMLA är inaktivt i Fortnox — aktivera det i Fortnox eller byt kostnadsställe i Summa och tryck Försök igen.');
      expect(await apiCalls(kit.control)).toEqual(['GET /3/costcenters', 'GET /3/costcenters']);
    });
  });

  describe('project', () => {
    const project = (fields: Partial<EnsureProjectInput['project']> = {}): EnsureProjectInput['project'] => ({
      number: 'P-77',
      description: 'Vårkatalog',
      status: 'ONGOING',
      ...fields,
    });
    const ensure = (wanted: EnsureProjectInput['project']) => runActivity(legacy.ensureProject, { tenant: TENANT, project: wanted });

    it('creates a project Fortnox does not have', async () => {
      expect(await ensure(project())).toEqual({ outcome: 'created' });
      expect(await person.projects.get('P-77')).toMatchObject({ Description: 'Vårkatalog', Status: 'ONGOING' });
    });

    it("updates a project Fortnox has with Summa's data, and does not write the same data twice", async () => {
      const [seeded] = await person.projects.list();
      if (seeded === undefined) throw new Error('the sandbox seeds projects');
      await kit.control.clearRequests();
      expect(await ensure(project({ number: seeded.ProjectNumber, description: 'Nytt namn' }))).toEqual({ outcome: 'updated' });
      expect(await person.projects.get(seeded.ProjectNumber)).toMatchObject({ Description: 'Nytt namn' });
      expect(await apiWrites(kit.control)).toEqual(['PUT /3/projects/{ProjectNumber}']);

      await kit.control.clearRequests();
      expect(await ensure(project({ number: seeded.ProjectNumber, description: 'Nytt namn' }))).toEqual({ outcome: 'unchanged' });
      expect(await apiCalls(kit.control)).toEqual([]);
    });

    it("reads back one created in Fortnox after the register was read, and writes Summa's data to it", async () => {
      await ensure(project({ number: 'P-1' })); // reads and caches the project numbers
      await person.projects.create({ ProjectNumber: 'P-77', Description: 'Någon annans namn' });
      await kit.control.clearRequests();
      expect(await ensure(project())).toEqual({ outcome: 'updated' });
      expect(await apiWrites(kit.control)).toEqual(['POST /3/projects', 'PUT /3/projects/{ProjectNumber}']);
      expect(await person.projects.get('P-77')).toMatchObject({ Description: 'Vårkatalog' });
    });
  });

  describe('terms of payment', () => {
    const ensure = (days: number) => runActivity(legacy.ensureTermsOfPayment, { tenant: TENANT, days });

    it('uses terms Fortnox has without creating them again', async () => {
      expect(await ensure(30)).toEqual({ code: '30', outcome: 'existing' });
      expect(await apiWrites(kit.control)).toEqual([]);
    });

    it('creates terms Fortnox does not have, coded by their days', async () => {
      expect(await ensure(45)).toEqual({ code: '45', outcome: 'created' });
      expect(await person.termsOfPayments.get('45')).toMatchObject({ Code: '45', Description: '45 dagar netto' });
      await kit.control.clearRequests();
      expect(await ensure(45)).toEqual({ code: '45', outcome: 'existing' });
      expect(await apiWrites(kit.control)).toEqual([]);
    });

    it('reads back terms created in Fortnox between its look and its create, instead of failing', async () => {
      // Our create waits in Fortnox while someone else creates the same terms.
      await kit.control.addFault({ route: '/3/termsofpayments', method: 'POST', kind: 'latency', latencyMs: 400, count: 1 });
      const ours = ensure(45);
      while ((await kit.control.faults())[0]?.hits !== 1) await sleep(10);
      await person.termsOfPayments.create({ Code: '45', Description: '45 dagar' });
      expect(await ours).toEqual({ code: '45', outcome: 'created' });
      const posts = (await kit.control.requests({ method: 'POST', route: '/3/termsofpayments' })).map((request) => request.status);
      expect(posts.sort()).toEqual([201, 400]);
      expect((await kit.control.state('1')).termsOfPayments.filter((terms) => terms.Code === '45')).toHaveLength(1);
    });
  });

  it('ensures all three in one step, and asks Fortnox nothing when the invoice names none', async () => {
    const result = await runActivity(activities.ensureRegisters, {
      tenant: TENANT,
      costCentres: [{ code: 'DIGI', description: 'Digitaltryck' }],
      project: { number: 'P-77', description: 'Vårkatalog' },
      termsOfPaymentDays: 45,
    });
    expect(result).toEqual({ kind: 'done', value: { termsOfPayment: '45' } });
    expect(await apiWrites(kit.control)).toEqual(['POST /3/costcenters', 'POST /3/projects', 'POST /3/termsofpayments']);

    await kit.control.clearRequests();
    expect(await runActivity(activities.ensureRegisters, { tenant: TENANT, costCentres: [] })).toEqual({ kind: 'done', value: { termsOfPayment: undefined } });
    expect(await apiCalls(kit.control)).toEqual([]);
  });
});

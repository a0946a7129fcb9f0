import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import type { UpsertCustomerInput } from '../../../activities/upsert-customer.js';
import type { FortnoxClient } from '../../../src/fortnox/client.js';
import { activityFailure, apiCalls, apiWrites, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { sandboxClient, useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';
import { api, clientCredentialsToken } from '../../integration/sandbox-kit.js';

type Customer = UpsertCustomerInput['customer'];
const customer = (fields: Partial<Customer> = {}): Customer => ({ customerNumber: 'K-1042', name: 'Tryckeri Ängeln AB', type: 'COMPANY', city: 'Umeå', countryCode: 'SE', ...fields });

describe('upsertCustomer', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let upsert: (customer: Customer) => Promise<unknown>;
  let person: FortnoxClient;

  beforeAll(() => {
    person = sandboxClient(kit.sandbox, '1');
  });
  beforeEach(() => {
    const activities = createActivities(sandboxActivityDeps(kit.sandbox));
    upsert = (summaCustomer) => runActivity(activities.upsertCustomer, { tenant: TENANT, customer: summaCustomer });
  });

  describe('with a customer number', () => {
    it('creates a customer Fortnox does not have, under that number', async () => {
      expect(await upsert(customer())).toEqual({ kind: 'done', value: { customerNumber: 'K-1042', outcome: 'created' } });
      expect(await person.customers.get('K-1042')).toMatchObject({ Name: 'Tryckeri Ängeln AB', City: 'Umeå', Type: 'COMPANY' });
    });

    it("updates a customer Fortnox has with Summa's data", async () => {
      await person.customers.create({ CustomerNumber: 'K-1042', Name: 'Tryckeri Ängeln AB', City: 'Luleå', Email: 'gammal@angeln.se' });
      expect(await upsert(customer())).toEqual({ kind: 'done', value: { customerNumber: 'K-1042', outcome: 'updated' } });
      // Summa's fields are written, and one Summa owns but left empty is cleared (API_BLANK), not kept.
      const updated = await person.customers.get('K-1042');
      expect(updated).toMatchObject({ City: 'Umeå' });
      expect(updated?.Email ?? '').toBe('');
      expect((await kit.control.requests()).some((request) => request.route.startsWith('/3/customers') && JSON.stringify(request.body).includes('"Email":"API_BLANK"'))).toBe(true);
    });

    it('does not write the same data twice, but writes data that changed', async () => {
      await upsert(customer());
      await kit.control.clearRequests();
      expect(await upsert(customer())).toEqual({ kind: 'done', value: { customerNumber: 'K-1042', outcome: 'unchanged' } });
      expect(await apiCalls(kit.control)).toEqual([]);

      expect(await upsert(customer({ city: 'Skellefteå' }))).toEqual({ kind: 'done', value: { customerNumber: 'K-1042', outcome: 'updated' } });
      expect(await person.customers.get('K-1042')).toMatchObject({ City: 'Skellefteå' });
    });

    it('updates a customer created in Fortnox after it read the customer numbers, instead of failing on the taken number', async () => {
      await upsert(customer({ customerNumber: 'K-1' })); // reads and caches the customer numbers
      // The same company (its organisation number), under its old name.
      await person.customers.create({ CustomerNumber: 'K-1042', Name: 'Gamla namnet AB', OrganisationNumber: '559876-5432' });
      await kit.control.clearRequests();
      expect(await upsert(customer({ organisationNumber: '5598765432' }))).toEqual({ kind: 'done', value: { customerNumber: 'K-1042', outcome: 'updated' } });
      expect(await apiWrites(kit.control)).toEqual(['POST /3/customers', 'PUT /3/customers/{CustomerNumber}']);
      expect(await person.customers.get('K-1042')).toMatchObject({ Name: 'Tryckeri Ängeln AB' });
    });

    it('asks for another number when the number is that of a deleted customer', async () => {
      await upsert(customer()); // Fortnox has K-1042, and the cache knows it
      const raw = api(kit.sandbox, await clientCredentialsToken(kit.sandbox, '1'));
      expect((await raw.delete('/3/customers/K-1042')).status).toBe(204);
      // Whether the cache still lists the number (update answers 404, then create) or not (create, read back): refused.
      const known = await activityFailure(upsert(customer({ city: 'Kiruna' })));
      expect(known.message).toMatch(/^Kundnumret på kunden K-1042 är redan använt i Fortnox \(kanske av en raderad kund\) — ändra kundnumret i Summa/);
      const unknown = await activityFailure(runActivity(createActivities(sandboxActivityDeps(kit.sandbox)).upsertCustomer, { tenant: TENANT, customer: customer() }));
      expect(unknown.message).toBe(known.message);
      expect(unknown.details).toEqual([expect.objectContaining({ fortnoxCode: 2000637 }) as unknown]);
    });
  });

  it("leaves a customer made meanwhile for another company alone, naming both", async () => {
    await upsert(customer({ customerNumber: 'K-1' })); // reads and caches the customer numbers
    await person.customers.create({ CustomerNumber: 'K-1042', Name: 'Bokbinderiet AB', OrganisationNumber: '556000-1111' });
    const failure = await activityFailure(upsert(customer({ organisationNumber: '556123-4567' })));
    expect(failure.message).toMatch(/^Kundnummer K-1042 tillhör i Fortnox Bokbinderiet AB \(org.nr 556000-1111\), inte Tryckeri Ängeln AB \(org.nr 556123-4567\)/);
    expect(await person.customers.get('K-1042')).toMatchObject({ Name: 'Bokbinderiet AB' });
  });

  describe('without a customer number', () => {
    it('finds the customer by organisation number however it is written, and updates it', async () => {
      // The sandbox seeds Åkessons Tryckeri AB with 556123-4567.
      const [seeded] = await person.customers.findByOrganisationNumber('556123-4567');
      if (seeded === undefined) throw new Error('the sandbox seeds a customer with 556123-4567');
      const result = await upsert(customer({ customerNumber: undefined, name: 'Åkessons Tryckeri AB', organisationNumber: '5561234567', city: 'Mölndal' }));
      expect(result).toEqual({ kind: 'done', value: { customerNumber: seeded.CustomerNumber, outcome: 'updated' } });
      expect(await person.customers.get(seeded.CustomerNumber)).toMatchObject({ City: 'Mölndal' });
    });

    it('creates a customer no one in Fortnox has the organisation number of, with the number Fortnox gives', async () => {
      const result = (await upsert(customer({ customerNumber: undefined, organisationNumber: '556999-0001' }))) as { value: { customerNumber: string; outcome: string } };
      expect(result.value.outcome).toBe('created');
      expect(await person.customers.get(result.value.customerNumber)).toMatchObject({ Name: 'Tryckeri Ängeln AB', OrganisationNumber: '556999-0001' });
    });

    it('asks a person which customer is meant when several have the organisation number', async () => {
      const first = await person.customers.create({ Name: 'Ängeln Norr', OrganisationNumber: '556999-0002' });
      const second = await person.customers.create({ Name: 'Ängeln Söder', OrganisationNumber: '5569990002' });
      const failure = await activityFailure(upsert(customer({ customerNumber: undefined, organisationNumber: '556999-0002' })));
      expect(failure.message).toBe(
        `Flera kunder i Fortnox har organisationsnummer 556999-0002 (kundnummer ${first.CustomerNumber}, ${second.CustomerNumber}) — ange kundnumret på kunden i Summa och tryck Försök igen.`,
      );
      expect(await apiWrites(kit.control)).toEqual(['POST /3/customers', 'POST /3/customers']); // only the person's
    });

    it('without an organisation number, finds the customer by its exact name only', async () => {
      // The sandbox seeds Sjöbergs Förlag AB; Fortnox's name search would also find it for "Sjöbergs".
      const exact = await upsert(customer({ customerNumber: undefined, name: 'Sjöbergs Förlag AB' }));
      expect(exact).toMatchObject({ kind: 'done', value: { outcome: 'updated' } });
      const partial = await upsert(customer({ customerNumber: undefined, name: 'Sjöbergs' }));
      expect(partial).toMatchObject({ kind: 'done', value: { outcome: 'created' } });
    });
  });
});

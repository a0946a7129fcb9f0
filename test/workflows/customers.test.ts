import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSummaInvoice } from '../../src/summa/invoice-contract.js';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { until } from '../helpers/until.js';

/*
 * Right customer in the books (issue 13, "Customers"), through the pipeline, read back through Fortnox's API.
 */
describe('customers in Fortnox', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it("never overwrites another company that holds Summa's customer number in Fortnox, and names both", async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const number = `GO-LIVE-${process.pid}`;
    // Before go-live, Fortnox's own series gave this number to another company, with its own invoice e-mail.
    await fortnox.customers.create({ CustomerNumber: number, Name: 'Bokbinderiet i Luleå AB', OrganisationNumber: '556000-1111', EmailInvoice: 'ekonomi@bokbinderiet.se' });
    const invoice = anInvoice();
    const sent = { ...invoice, customer: { ...invoice.customer, customerNumber: number, name: 'Tryckeri Ängeln AB', organisationNumber: '556123-4567' } };
    await pipeline.service.transfer(sent);
    const view = await until(() => pipeline.service.status('demo', sent.invoiceId), (found) => found?.status === 'NeedsAttention', 'NeedsAttention');
    expect(view?.step).toBe('upsertCustomer');
    expect(view?.message).toContain(`Kundnummer ${number}`);
    expect(view?.message).toContain('Bokbinderiet i Luleå AB (org.nr 556000-1111)');
    expect(view?.message).toContain('Tryckeri Ängeln AB (org.nr 556123-4567)');
    expect(await fortnox.customers.get(number)).toMatchObject({ Name: 'Bokbinderiet i Luleå AB', OrganisationNumber: '556000-1111', EmailInvoice: 'ekonomi@bokbinderiet.se' });
    expect((await fortnox.invoices.findByExternalReference(sent.invoiceId)).length).toBe(0);
    await pipeline.service.cancel('demo', sent.invoiceId, 'test over');
  });

  it('updates the customer holding the number when it is the same company (same organisation number)', async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const number = `SAME-${process.pid}`;
    await fortnox.customers.create({ CustomerNumber: number, Name: 'Tryckeri Ängeln', OrganisationNumber: '5561234567' });
    const invoice = anInvoice();
    const sent = { ...invoice, customer: { ...invoice.customer, customerNumber: number, name: 'Tryckeri Ängeln AB', organisationNumber: '556123-4567' } };
    await pipeline.service.transfer(sent);
    const result = await pipeline.transferred('demo', sent.invoiceId);
    expect(result.fortnoxCustomerNumber).toBe(number);
    expect(await fortnox.customers.get(number)).toMatchObject({ Name: 'Tryckeri Ängeln AB' });
  });

  it('sends the VAT number as it is validated, and refuses a country code ISO 3166 does not have', async () => {
    const base = anInvoice();
    const invoice = { ...base, customer: { ...base.customer, vatType: 'EUREVERSEDVAT' as const, vatNumber: 'de 123 456 789', countryCode: 'DE' }, rows: base.rows.map((row) => ({ ...row, vatPercent: 0 as const, account: 3108 })) };
    await pipeline.service.transfer(invoice);
    const result = await pipeline.transferred('demo', invoice.invoiceId);
    expect(await sandboxClient(pipeline.fortnox, '1').customers.get(result.fortnoxCustomerNumber)).toMatchObject({ VATNumber: 'DE123456789', CountryCode: 'DE' });

    const refused = parseSummaInvoice({ ...anInvoice(), customer: { ...base.customer, countryCode: 'UK' } });
    expect(refused).toEqual({ ok: false, problems: [{ path: 'customer.countryCode', message: 'must be an ISO 3166 country code (GB for the United Kingdom, GR for Greece)' }] });
    expect(parseSummaInvoice({ ...anInvoice(), customer: { ...base.customer, countryCode: 'GB' } }).ok).toBe(true);
  });

  it('clears in Fortnox what Summa cleared: a removed invoice e-mail stops receiving invoices', async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const first = anInvoice();
    const withAll = { ...first, customer: { ...first.customer, invoiceEmail: 'faktura@angeln.se', phone: '090-12 34 56', address2: 'Box 12', vatNumber: 'SE556123456701' } };
    await pipeline.service.transfer(withAll);
    const { fortnoxCustomerNumber } = await pipeline.transferred('demo', withAll.invoiceId);
    expect(await fortnox.customers.get(fortnoxCustomerNumber)).toMatchObject({ EmailInvoice: 'faktura@angeln.se', Phone1: '090-12 34 56', Address2: 'Box 12' });

    // The next invoice of the same customer, after Summa's user removed the invoice e-mail, phone and c/o line.
    const second = anInvoice();
    const cleared = { ...second, customer: { ...withAll.customer, invoiceEmail: undefined, phone: undefined, address2: undefined } };
    await pipeline.service.transfer(cleared);
    await pipeline.transferred('demo', cleared.invoiceId);
    const after = await fortnox.customers.get(fortnoxCustomerNumber);
    for (const field of ['EmailInvoice', 'Phone1', 'Address2'] as const) expect(after?.[field] ?? '', field).toBe('');
    expect(after).toMatchObject({ Name: 'Tryckeri Ängeln AB', OrganisationNumber: '556123-4567', VATNumber: 'SE556123456701', City: 'Umeå' });
  });

  it('keeps two private persons of the same name apart, and finds the same person again by name and address', async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const name = `Anna Andersson ${process.pid}`;
    const person = (address1: string, zipCode: string) => ({ name, type: 'PRIVATE' as const, address1, zipCode, city: 'Umeå', countryCode: 'SE' });
    const inUmea = anInvoice({ customer: person('Storgatan 1', '903 26'), costCentre: undefined, project: undefined });
    const inLulea = anInvoice({ customer: person('Kungsgatan 9', '972 31'), costCentre: undefined, project: undefined });
    const againInUmea = anInvoice({ customer: person('Storgatan 1', '903 26'), costCentre: undefined, project: undefined });
    const numbers = [];
    for (const invoice of [inUmea, inLulea, againInUmea]) {
      await pipeline.service.transfer(invoice);
      numbers.push((await pipeline.transferred('demo', invoice.invoiceId)).fortnoxCustomerNumber);
    }
    expect(numbers[0]).not.toBe(numbers[1]);
    expect(numbers[2]).toBe(numbers[0]);
    const annas = (await fortnox.customers.search({ name })).filter((customer) => customer.Name === name);
    expect(annas.map((customer) => customer.CustomerNumber).sort()).toEqual([numbers[0], numbers[1]].sort());
    expect(await fortnox.customers.get(numbers[1] ?? '')).toMatchObject({ Address1: 'Kungsgatan 9', ZipCode: '972 31' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxClient } from '../../src/fortnox/client.js';
import { FortnoxApiError, FortnoxRequestInvalidError } from '../../src/fortnox/errors.js';
import { bodiesOutsideTheSpec, collectBodiesOutsideTheSpec, sandboxClient, useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';

const today = new Date().toISOString().slice(0, 10);

describe('Fortnox client against the sandbox: resources', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let fortnox: FortnoxClient;
  beforeAll(() => {
    fortnox = sandboxClient(kit.sandbox, '1');
  });
  const outsideTheSpec = collectBodiesOutsideTheSpec(kit);

  describe('customers', () => {
    it('creates a customer with the next number, reads it back and updates only the fields given', async () => {
      const created = await fortnox.customers.create({ Name: 'Tryckeriet Åkesson AB', OrganisationNumber: '556677-8899', CountryCode: 'SE', Email: 'info@akesson.se' });
      expect(created.CustomerNumber).toMatch(/^\d+$/);
      expect(created.Country).toBe('Sverige');
      const updated = await fortnox.customers.update(created.CustomerNumber, { City: 'Örebro' });
      expect(updated).toMatchObject({ Name: 'Tryckeriet Åkesson AB', City: 'Örebro', Email: 'info@akesson.se' });
      expect(await fortnox.customers.get(created.CustomerNumber)).toMatchObject({ City: 'Örebro' });
    });

    it('answers undefined for a customer that does not exist', async () => {
      expect(await fortnox.customers.get('does-not-exist')).toBeUndefined();
    });

    it('refuses a customer number already taken with 2000637, a permanent error', async () => {
      await fortnox.customers.create({ CustomerNumber: 'K100', Name: 'Första' });
      const failure = fortnox.customers.create({ CustomerNumber: 'K100', Name: 'Andra' });
      await expect(failure).rejects.toBeInstanceOf(FortnoxApiError);
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2000637 });
    });

    it('finds a customer by organisation number exactly, although Fortnox matches substrings', async () => {
      await fortnox.customers.create({ Name: 'Kort', OrganisationNumber: '556677-889' });
      const exact = await fortnox.customers.create({ Name: 'Exakt', OrganisationNumber: '556677-8899' });
      const found = await fortnox.customers.findByOrganisationNumber('5566778899');
      expect(found.map((customer) => customer.CustomerNumber)).toEqual([exact.CustomerNumber]);
    });

    it('reads every page of a long list', async () => {
      for (let index = 0; index < 501; index += 1) await fortnox.customers.create({ Name: `Sidkund ${index}` });
      const all = await fortnox.customers.search({ name: 'Sidkund' });
      expect(all).toHaveLength(501);
      const pages = (await kit.control.requests({ route: '/3/customers', method: 'GET' })).length;
      expect(pages).toBe(2);
    });

    it('refuses to send a customer Fortnox would reject, naming the field', async () => {
      await expect(fortnox.customers.create({ Name: 'X', ZipCode: '12345678901' })).rejects.toThrow(FortnoxRequestInvalidError);
      await expect(fortnox.customers.create({ Name: 'X', ZipCode: '12345678901' })).rejects.toThrow(/ZipCode/);
      expect(await kit.control.requests({ route: '/3/customers', method: 'POST' })).toEqual([]);
    });
  });

  describe('invoices', () => {
    async function customer(): Promise<string> {
      return (await fortnox.customers.create({ Name: 'Bokhandeln i Umeå' })).CustomerNumber;
    }

    it('creates an invoice with numbered, totalled rows and finds it by its exact external reference', async () => {
      const customerNumber = await customer();
      const invoice = await fortnox.invoices.create({
        CustomerNumber: customerNumber,
        InvoiceDate: today,
        ExternalInvoiceReference1: 'SUMMA-1',
        InvoiceRows: [
          { AccountNumber: 3001, Description: 'Broschyrer A4', DeliveredQuantity: '100', Price: 12.5, VAT: 25 },
          { AccountNumber: 3003, Description: 'Böcker', DeliveredQuantity: '2', Price: 199, VAT: 6 },
        ],
      });
      expect(invoice.DocumentNumber).toMatch(/^\d+$/);
      expect(invoice).toMatchObject({ Net: 1648, TotalVAT: 336.38, Booked: false, Credit: false });
      await fortnox.invoices.create({ CustomerNumber: customerNumber, InvoiceDate: today, ExternalInvoiceReference1: 'SUMMA-10', InvoiceRows: [] });
      const found = await fortnox.invoices.findByExternalReference('SUMMA-1');
      expect(found.map((item) => item.DocumentNumber)).toEqual([invoice.DocumentNumber]);
      expect(await fortnox.invoices.get(invoice.DocumentNumber)).toMatchObject({ ExternalInvoiceReference1: 'SUMMA-1' });
    });

    it('credits an invoice, answering with the original that names its credit invoice', async () => {
      const customerNumber = await customer();
      const invoice = await fortnox.invoices.create({
        CustomerNumber: customerNumber,
        InvoiceDate: today,
        InvoiceRows: [{ AccountNumber: 3001, Description: 'Affischer', DeliveredQuantity: '1', Price: 400, VAT: 25 }],
      });
      const original = await fortnox.invoices.credit(invoice.DocumentNumber);
      expect(original.DocumentNumber).toBe(invoice.DocumentNumber);
      const creditNumber = original.CreditInvoiceReference;
      expect(creditNumber).toBeDefined();
      expect(await fortnox.invoices.get(creditNumber ?? '')).toMatchObject({ Credit: true, CreditInvoiceReference: invoice.DocumentNumber, Total: -500 });
    });

    it('books an invoice', async () => {
      const invoice = await fortnox.invoices.create({
        CustomerNumber: await customer(),
        InvoiceDate: today,
        InvoiceRows: [{ AccountNumber: 3001, Description: 'Visitkort', DeliveredQuantity: '1', Price: 100, VAT: 25 }],
      });
      expect(await fortnox.invoices.bookkeep(invoice.DocumentNumber)).toMatchObject({ Booked: true });
    });

    it('reports an account missing from the chart as 2001304', async () => {
      const failure = fortnox.invoices.create({
        CustomerNumber: await customer(),
        InvoiceDate: today,
        InvoiceRows: [{ AccountNumber: 3999, Description: 'Okänt konto', DeliveredQuantity: '1', Price: 1, VAT: 25 }],
      });
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2001304 });
    });

    it('reports an account that needs a cost centre as 2000946 and an inactive cost centre as 2000947', async () => {
      const customerNumber = await customer();
      const accounts = await fortnox.accounts.list((await fortnox.financialYears.byDate(today))?.Id ?? 0);
      const needsCostCentre = accounts.find((account) => account.CostCenterSettings === 'MANDATORY' && account.Active === true);
      const inactiveCostCentre = (await fortnox.costCentres.list()).find((costCentre) => costCentre.Active === false);
      expect(needsCostCentre).toBeDefined();
      expect(inactiveCostCentre).toBeDefined();
      const row = { AccountNumber: needsCostCentre?.Number ?? 0, Description: 'Tjänst', DeliveredQuantity: '1', Price: 1, VAT: 25 };
      await expect(fortnox.invoices.create({ CustomerNumber: customerNumber, InvoiceDate: today, InvoiceRows: [row] })).rejects.toMatchObject({ code: 2000946 });
      await expect(
        fortnox.invoices.create({ CustomerNumber: customerNumber, InvoiceDate: today, InvoiceRows: [{ ...row, CostCenter: inactiveCostCentre?.Code ?? '' }] }),
      ).rejects.toMatchObject({ code: 2000947 });
    });

    it('reports an invalid list filter as 2000587', async () => {
      const failure = fortnox.invoices.list({ filter: 'bogus' as 'unpaid' });
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2000587 });
    });
  });

  describe('units', () => {
    it('lists the seeded units, creates one and reads it back, and answers undefined for an unknown code', async () => {
      expect((await fortnox.units.list()).find((unit) => unit.Code === 'st')).toMatchObject({ CodeEnglish: 'pcs', Description: 'styck' });
      expect(await fortnox.units.create({ Code: 'rulle', Description: 'Rulle', CodeEnglish: 'roll' })).toMatchObject({ Code: 'rulle', CodeEnglish: 'roll' });
      expect(await fortnox.units.get('rulle')).toMatchObject({ Description: 'Rulle' });
      expect(await fortnox.units.get('nope')).toBeUndefined();
    });

    it('refuses to send a unit code longer than the spec allows', async () => {
      await expect(fortnox.units.create({ Code: 'x'.repeat(21), Description: 'Lång' })).rejects.toThrow(FortnoxRequestInvalidError);
      expect(await kit.control.requests({ route: '/3/units', method: 'POST' })).toEqual([]);
    });

    it('reports an invoice row with a unit the company lacks as 2000432', async () => {
      const customerNumber = (await fortnox.customers.create({ Name: 'Enhetskund' })).CustomerNumber;
      const failure = fortnox.invoices.create({
        CustomerNumber: customerNumber,
        InvoiceDate: today,
        InvoiceRows: [{ AccountNumber: 3001, Description: 'Pallar', DeliveredQuantity: '1', Price: 10, VAT: 25, Unit: 'pall' }],
      });
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2000432 });
    });
  });

  describe('cost centres, projects, accounts, financial years, company', () => {
    it('creates, reads and lists cost centres, and answers undefined for an unknown code', async () => {
      await fortnox.costCentres.create({ Code: 'OFFS', Description: 'Offsettryck' });
      expect(await fortnox.costCentres.get('OFFS')).toMatchObject({ Code: 'OFFS', Description: 'Offsettryck', Active: true });
      expect((await fortnox.costCentres.list()).map((costCentre) => costCentre.Code)).toContain('OFFS');
      expect(await fortnox.costCentres.get('NOPE')).toBeUndefined();
    });

    it('creates, updates, reads and lists projects', async () => {
      const project = await fortnox.projects.create({ ProjectNumber: 'P-42', Description: 'Årsredovisning 2026' });
      expect(project).toMatchObject({ ProjectNumber: 'P-42', Status: 'ONGOING' });
      await fortnox.projects.update('P-42', { Status: 'COMPLETED' });
      expect(await fortnox.projects.get('P-42')).toMatchObject({ Status: 'COMPLETED' });
      expect((await fortnox.projects.list()).map((item) => item.ProjectNumber)).toContain('P-42');
      expect(await fortnox.projects.get('P-404')).toBeUndefined();
    });

    it('reads the chart of accounts of the financial year that contains a date', async () => {
      const year = await fortnox.financialYears.byDate(today);
      expect(year).toBeDefined();
      const chart = await fortnox.accounts.list(year?.Id ?? 0);
      expect(chart.find((account) => account.Number === 3001)).toMatchObject({ Active: true, VATCode: 'MP1' });
      expect(chart.some((account) => account.Active === false)).toBe(true);
      expect(await fortnox.accounts.get(3001, year?.Id ?? 0)).toMatchObject({ Number: 3001 });
      expect(await fortnox.accounts.get(3999, year?.Id ?? 0)).toBeUndefined();
      expect(await fortnox.financialYears.byDate('1990-06-30')).toBeUndefined();
    });

    it('reads the company information, whose DatabaseNumber is the TenantId', async () => {
      expect(await fortnox.companyInformation.get()).toMatchObject({ DatabaseNumber: '1' });
    });
  });

  it('sent only request bodies that conform to Fortnox\'s OpenAPI schemas', async () => {
    // Runs last: every earlier test's bodies were checked after it ran; this adds the optional fields we send.
    const customerNumber = (await fortnox.customers.create({ Name: 'Schemakontroll AB', Type: 'COMPANY', VATType: 'SEVAT' })).CustomerNumber;
    await fortnox.customers.update(customerNumber, { Email: 'a@b.se' });
    await fortnox.projects.create({ Description: 'Schema', Status: 'NOTSTARTED', StartDate: today });
    await fortnox.costCentres.create({ Code: 'SCH', Description: 'Schema' });
    await fortnox.invoices.create({
      CustomerNumber: customerNumber,
      InvoiceDate: today,
      DueDate: today,
      Currency: 'SEK',
      YourReference: 'Anna',
      ExternalInvoiceReference1: 'SUMMA-S',
      Remarks: 'Tack för beställningen!',
      InvoiceRows: [{ AccountNumber: 3001, Description: 'Tryck', DeliveredQuantity: '1.5', Price: 10, VAT: 25, Unit: 'st', Discount: 10, DiscountType: 'PERCENT' }],
    });
    outsideTheSpec.push(...(await bodiesOutsideTheSpec(kit.sandbox)));
    expect(outsideTheSpec).toEqual([]);
  });
});

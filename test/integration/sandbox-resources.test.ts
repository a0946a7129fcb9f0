import { describe, expect, it } from 'vitest';
import { api, clientCredentialsToken, errorOf, useSandbox } from './sandbox-kit.js';

describe('Fortnox sandbox: cost centres, projects, accounts, financial years, company', () => {
  const kit = useSandbox({ tenants: ['1', '7'] });

  describe('cost centres', () => {
    it('lists the seeded cost centres, one of them inactive', async () => {
      const answer = (await kit.fortnox.get('/3/costcenters')).json as { CostCenters: Record<string, unknown>[] };
      expect(answer.CostCenters.map((costCentre) => [costCentre.Code, costCentre.Active])).toEqual([
        ['BIND', true],
        ['GAMLA', false],
        ['SKYLT', true],
        ['TRYCK', true],
      ]);
      expect(answer.CostCenters[2]).toEqual({ '@url': `${kit.sandbox.url}/3/costcenters/SKYLT`, Active: true, Code: 'SKYLT', Description: 'Skyltar och storformat', Note: '' });
    });

    it('creates, reads, updates and deletes a cost centre', async () => {
      const created = await kit.fortnox.post('/3/costcenters', { CostCenter: { Code: 'DIGI', Description: 'Digitaltryck' } });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({ CostCenter: { '@url': `${kit.sandbox.url}/3/costcenters/DIGI`, Active: true, Code: 'DIGI', Description: 'Digitaltryck', Note: null } });
      expect((await kit.fortnox.put('/3/costcenters/DIGI', { CostCenter: { Active: false, Note: 'Pausad' } })).json).toMatchObject({ CostCenter: { Active: false, Note: 'Pausad', Description: 'Digitaltryck' } });
      expect((await kit.fortnox.get('/3/costcenters/DIGI')).json).toMatchObject({ CostCenter: { Active: false } });
      expect((await kit.fortnox.delete('/3/costcenters/DIGI')).status).toBe(204);
      expect((await kit.fortnox.get('/3/costcenters/DIGI')).json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta kostnadsstället.', Code: 2999130 } });
    });

    it('refuses a code longer than 6 characters, a missing description and a duplicate', async () => {
      expect(errorOf(await kit.fortnox.post('/3/costcenters', { CostCenter: { Code: 'SEVENCH', Description: 'x' } }))).toEqual({
        error: 1,
        message: 'Värdet i fältet Code är för långt (högst 6 tecken)',
        code: 2999102,
      });
      expect(errorOf(await kit.fortnox.post('/3/costcenters', { CostCenter: { Code: 'X' } }))).toEqual({ error: 1, message: 'Fältet Description måste anges', code: 2999107 });
      expect(errorOf(await kit.fortnox.post('/3/costcenters', { CostCenter: { Code: 'TRYCK', Description: 'x' } }))).toEqual({ error: 1, message: 'Kostnadsställe "TRYCK" finns redan', code: 2999131 });
    });
  });

  describe('projects', () => {
    it('creates a project with the next number, status ONGOING and Fortnox\'s singular Location', async () => {
      const created = await kit.fortnox.post('/3/projects', { Project: { Description: 'Valaffischer 2026', StartDate: '2026-04-01' } });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('project');
      expect(created.json).toEqual({
        Project: {
          '@url': `${kit.sandbox.url}/3/projects/4`,
          Comments: null,
          ContactPerson: null,
          Description: 'Valaffischer 2026',
          EndDate: null,
          ProjectLeader: null,
          ProjectNumber: '4',
          StartDate: '2026-04-01',
          Status: 'ONGOING',
        },
      });
    });

    it('takes a chosen project number, updates partially and deletes', async () => {
      await kit.fortnox.post('/3/projects', { Project: { ProjectNumber: 'P-1', Description: 'Katalog' } });
      expect(errorOf(await kit.fortnox.post('/3/projects', { Project: { ProjectNumber: 'P-1', Description: 'x' } })).code).toBe(2999132);
      expect((await kit.fortnox.put('/3/projects/P-1', { Project: { Status: 'COMPLETED' } })).json).toMatchObject({ Project: { Status: 'COMPLETED', Description: 'Katalog' } });
      expect((await kit.fortnox.get('/3/projects?limit=2&page=3')).json).toMatchObject({ MetaInformation: { '@TotalResources': 4, '@TotalPages': 2, '@CurrentPage': 3 }, Projects: [] });
      expect((await kit.fortnox.delete('/3/projects/P-1')).status).toBe(204);
    });

    it('answers 404 with 2001161 for an unknown project and refuses a description over 50 characters', async () => {
      expect((await kit.fortnox.get('/3/projects/99')).json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta projektet.', Code: 2001161 } });
      expect(errorOf(await kit.fortnox.post('/3/projects', { Project: { Description: 'x'.repeat(51) } })).code).toBe(2999102);
      expect(errorOf(await kit.fortnox.post('/3/projects', { Project: { Description: 'x', Status: 'PAUSED' } }))).toEqual({
        error: 1,
        message: 'Ogiltigt värde i fältet Status (PAUSED)',
        code: 2999104,
      });
    });
  });

  describe('accounts', () => {
    it('lists the current year\'s chart by number, with VAT codes, inactive and cost-centre-bound accounts', async () => {
      const answer = (await kit.fortnox.get('/3/accounts?limit=500')).json as { Accounts: Record<string, unknown>[] };
      const byNumber = new Map(answer.Accounts.map((account) => [account.Number, account]));
      expect(byNumber.get(3001)).toMatchObject({ VATCode: 'MP1', Active: true, Year: 2, '@url': `${kit.sandbox.url}/3/accounts/3001?financialyear=2` });
      expect(byNumber.get(3004)).toMatchObject({ VATCode: 'MF' });
      expect(byNumber.get(3308)).toMatchObject({ VATCode: 'FTEU' });
      expect(byNumber.get(3010)).toMatchObject({ Active: false });
      expect(byNumber.get(3041)).toMatchObject({ CostCenterSettings: 'MANDATORY' });
      const numbers = answer.Accounts.map((account) => account.Number as number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    });

    it('chooses the financial year by financialyear or financialyeardate', async () => {
      expect((await kit.fortnox.get('/3/accounts/1930?financialyear=1')).json).toMatchObject({ Account: { Number: 1930, Year: 1 } });
      expect((await kit.fortnox.get('/3/accounts/1930?financialyeardate=2025-07-01')).json).toMatchObject({ Account: { Year: 1 } });
      expect(errorOf(await kit.fortnox.get('/3/accounts/1930?financialyear=9')).code).toBe(2999134);
      expect(errorOf(await kit.fortnox.get('/3/accounts?financialyeardate=2019-01-01')).code).toBe(2999110);
    });

    it('changes an account only in the year asked for', async () => {
      await kit.fortnox.put('/3/accounts/3011?financialyear=1', { Account: { Active: true, Description: 'Försäljning varor 25 %' } });
      expect((await kit.fortnox.get('/3/accounts/3011?financialyear=1')).json).toMatchObject({ Account: { Active: true, Description: 'Försäljning varor 25 %' } });
      expect((await kit.fortnox.get('/3/accounts/3011')).json).toMatchObject({ Account: { Active: false } });
    });

    it('creates and deletes an account and answers 404 with 2001304 for one it lacks', async () => {
      const created = await kit.fortnox.post('/3/accounts', { Account: { Number: 3055, Description: 'Försäljning trycksaker', VATCode: 'MP1' } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ Account: { Number: 3055, Year: 2, Active: true, CostCenterSettings: 'ALLOWED' } });
      expect(errorOf(await kit.fortnox.post('/3/accounts', { Account: { Number: 3055, Description: 'x' } })).code).toBe(2999133);
      expect((await kit.fortnox.delete('/3/accounts/3055')).status).toBe(204);
      expect((await kit.fortnox.get('/3/accounts/3055')).json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kunde inte hitta konto (3055)', Code: 2001304 } });
    });
  });

  describe('financial years', () => {
    it('has the previous and the current calendar year', async () => {
      expect((await kit.fortnox.get('/3/financialyears')).json).toEqual({
        MetaInformation: { '@TotalResources': 2, '@TotalPages': 1, '@CurrentPage': 1 },
        FinancialYears: [
          { '@url': `${kit.sandbox.url}/3/financialyears/1`, AccountChartType: 'BAS 2025', AccountingMethod: 'ACCRUAL', FromDate: '2025-01-01', Id: 1, ToDate: '2025-12-31' },
          { '@url': `${kit.sandbox.url}/3/financialyears/2`, AccountChartType: 'BAS 2026', AccountingMethod: 'ACCRUAL', FromDate: '2026-01-01', Id: 2, ToDate: '2026-12-31' },
        ],
      });
    });

    it('finds the year of a date by Date or financialyeardate', async () => {
      expect((await kit.fortnox.get('/3/financialyears?Date=2026-06-30')).json).toMatchObject({ FinancialYears: [{ Id: 2 }] });
      expect((await kit.fortnox.get('/3/financialyears?financialyeardate=2025-06-30')).json).toMatchObject({ FinancialYears: [{ Id: 1 }] });
      expect((await kit.fortnox.get('/3/financialyears?date=2030-01-01')).json).toMatchObject({ FinancialYears: [] });
      expect(errorOf(await kit.fortnox.get('/3/financialyears?Date=30/06/2026')).code).toBe(2000588);
    });

    it('adds a year with the chart of the year before, so invoices dated in it work', async () => {
      const created = await kit.fortnox.post('/3/financialyears', { FinancialYear: { FromDate: '2027-01-01', ToDate: '2027-12-31' } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ FinancialYear: { Id: 3, FromDate: '2027-01-01' } });
      expect((await kit.fortnox.get('/3/accounts/3001?financialyear=3')).json).toMatchObject({ Account: { Year: 3, VATCode: 'MP1' } });
      expect((await kit.fortnox.post('/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceDate: '2027-01-05' } })).status).toBe(201);
      expect(errorOf(await kit.fortnox.post('/3/financialyears', { FinancialYear: { FromDate: '2026-07-01', ToDate: '2027-06-30' } })).code).toBe(2999135);
    });

    it('answers 404 for an unknown year', async () => {
      expect((await kit.fortnox.get('/3/financialyears/9')).status).toBe(404);
      expect((await kit.fortnox.get('/3/financialyears/abc')).status).toBe(404);
    });
  });

  it('answers the company information with the tenant id as DatabaseNumber', async () => {
    const other = api(kit.sandbox, await clientCredentialsToken(kit.sandbox, '7'));
    expect((await other.get('/3/companyinformation')).json).toEqual({
      CompanyInformation: {
        Address: 'Tryckargatan 1',
        City: 'Stockholm',
        CompanyName: 'Sandlådans Tryckeri AB',
        CountryCode: 'SE',
        DatabaseNumber: 7,
        OrganizationNumber: '556000-1234',
        VisitAddress: 'Tryckargatan 1',
        VisitCity: 'Stockholm',
        VisitCountryCode: 'SE',
        VisitZipCode: '111 22',
        ZipCode: '111 22',
      },
    });
  });
});

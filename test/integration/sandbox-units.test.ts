import { describe, expect, it } from 'vitest';
import { errorOf, tokenRequest, api, useSandbox } from './sandbox-kit.js';

describe('Fortnox sandbox: units', () => {
  const kit = useSandbox();

  it('seeds the units a new Fortnox company has, with their English codes, ordered by code', async () => {
    const answer = await kit.fortnox.get('/3/units');
    expect(answer.status).toBe(200);
    const units = (answer.json as { Units: { Code: string; CodeEnglish: string; Description: string }[] }).Units;
    expect(units.map((unit) => unit.Code)).toEqual([...units.map((unit) => unit.Code)].sort((a, b) => a.localeCompare(b, 'sv')));
    expect(units).toEqual(
      expect.arrayContaining([
        { '@url': `${kit.sandbox.url}/3/units/st`, Code: 'st', CodeEnglish: 'pcs', Description: 'styck' },
        expect.objectContaining({ Code: 'h', CodeEnglish: 'h', Description: 'timmar' }),
        expect.objectContaining({ Code: 'km', CodeEnglish: 'km' }),
        expect.objectContaining({ Code: 'förp', CodeEnglish: 'pack', Description: 'förpackning' }),
        expect.objectContaining({ Code: 'utl', CodeEnglish: 'exp', Description: 'Utlägg' }),
      ]),
    );
  });

  it('creates a unit with CodeEnglish "" when none is given, updates it partially and deletes it', async () => {
    const created = await kit.fortnox.post('/3/units', { Unit: { Code: 'pall', Description: 'Pall' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('units');
    expect(created.json).toEqual({ Unit: { '@url': `${kit.sandbox.url}/3/units/pall`, Code: 'pall', CodeEnglish: '', Description: 'Pall' } });
    expect((await kit.fortnox.put('/3/units/pall', { Unit: { CodeEnglish: 'pallet' } })).json).toMatchObject({ Unit: { Code: 'pall', CodeEnglish: 'pallet', Description: 'Pall' } });
    expect((await kit.fortnox.get('/3/units/pall')).json).toMatchObject({ Unit: { CodeEnglish: 'pallet' } });
    expect((await kit.fortnox.delete('/3/units/pall')).status).toBe(204);
    expect((await kit.fortnox.get('/3/units/pall')).json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta enheten.', Code: 2000432 } });
  });

  it('refuses a code longer than the spec\'s 20 characters, a code in use and a change of code', async () => {
    const tooLong = await kit.fortnox.post('/3/units', { Unit: { Code: 'x'.repeat(21), Description: 'Lång' } });
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong)).toEqual({ error: 1, message: 'Värdet i fältet Code är för långt (högst 20 tecken)', code: 2999102 });
    expect(errorOf(await kit.fortnox.post('/3/units', { Unit: { Code: 'st', Description: 'Styck igen' } }))).toEqual({ error: 1, message: 'Enheten "st" finns redan', code: 2999144 });
    expect(errorOf(await kit.fortnox.put('/3/units/st', { Unit: { Code: 'styck' } })).code).toBe(2999137);
  });

  it('refuses an invoice row whose unit is not in the register, consuming no document number, until the unit exists', async () => {
    const body = { Invoice: { CustomerNumber: '1', InvoiceRows: [{ AccountNumber: 3001, DeliveredQuantity: 2, Price: 100, Unit: 'pall', Description: 'Pallar' }] } };
    const refused = await kit.fortnox.post('/3/invoices', body);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ ErrorInformation: { error: 1, message: 'Kan inte hitta enheten "pall"', code: 2000432 } });
    await kit.fortnox.post('/3/units', { Unit: { Code: 'pall', Description: 'Pall' } });
    const created = await kit.fortnox.post('/3/invoices', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ Invoice: { DocumentNumber: '1', InvoiceRows: [{ Unit: 'pall', Total: 200 }] } });
  });

  it('asks for the settings scope', async () => {
    const answer = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials', scope: 'invoice' }, { TenantId: '1' });
    const invoiceOnly = api(kit.sandbox, (answer.json as { access_token: string }).access_token);
    const refused = await invoiceOnly.get('/3/units');
    expect(refused.status).toBe(403);
    expect(errorOf(refused)).toEqual({ error: 1, message: 'Har inte behörighet för scope (settings)', code: 2000663 });
  });
});

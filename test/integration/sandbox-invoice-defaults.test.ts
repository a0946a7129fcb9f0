import { describe, expect, it } from 'vitest';
import { control, errorOf, useSandbox } from './sandbox-kit.js';

type Fields = Record<string, unknown>;
const row = { AccountNumber: 3001, DeliveredQuantity: 1, Price: 100, Description: 'Visitkort' };

describe('Fortnox sandbox: predefined invoice values from the company and the customer', () => {
  const kit = useSandbox();
  const settings = (body?: Fields) => control(kit.sandbox).call(body === undefined ? 'GET' : 'PUT', '/tenants/1/settings', body);
  const create = async (fields: Fields) => {
    const answer = await kit.fortnox.post('/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: [row], ...fields } });
    if (answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.text}`);
    return (answer.json as { Invoice: Fields }).Invoice;
  };
  const customer = async (fields: Fields) => {
    const answer = await kit.fortnox.post('/3/customers', { Customer: { Name: 'Kund med villkor', ...fields } });
    if (answer.status !== 201) throw new Error(`customer: ${answer.status} ${answer.text}`);
    return (answer.json as { Customer: Fields }).Customer;
  };

  it('starts every company as a new one: no fee, no freight, prices excluding VAT', async () => {
    expect((await settings()).json).toEqual({ administrationFee: 0, freight: 0, vatIncluded: false });
    expect(await create({})).toMatchObject({ AdministrationFee: 0, Freight: 0, VATIncluded: false, Total: 125 });
  });

  it('fills a left-out fee and freight from the company\'s settings, and the totals follow', async () => {
    expect((await settings({ administrationFee: 50, freight: 25 })).json).toEqual({ administrationFee: 50, freight: 25, vatIncluded: false });
    expect(await create({})).toMatchObject({
      AdministrationFee: 50,
      AdministrationFeeVAT: 12.5,
      Freight: 25,
      FreightVAT: 6.25,
      TotalVAT: 43.75,
      Total: 219,
      RoundOff: 0.25,
      Balance: 219,
    });
  });

  it('lets an explicit 0 or false in the request win over the company\'s settings', async () => {
    await settings({ administrationFee: 50, freight: 25, vatIncluded: true });
    expect(await create({ AdministrationFee: 0, Freight: 0, VATIncluded: false })).toMatchObject({ AdministrationFee: 0, Freight: 0, VATIncluded: false, Total: 125 });
  });

  it('reads row prices as including VAT when the company says so', async () => {
    await settings({ vatIncluded: true });
    const invoice = await create({ InvoiceRows: [{ ...row, Price: 125 }] });
    expect(invoice).toMatchObject({ VATIncluded: true, Net: 100, TotalVAT: 25, Total: 125 });
    expect(invoice.InvoiceRows).toMatchObject([{ Price: 125, PriceExcludingVAT: 100, Total: 125, TotalExcludingVAT: 100 }]);
  });

  it('takes the customer\'s fee, freight and VAT-included prices over the company\'s', async () => {
    await settings({ administrationFee: 50, freight: 25 });
    const card = await customer({ InvoiceAdministrationFee: 29, InvoiceFreight: 49, ShowPriceVATIncluded: true });
    expect(card).toMatchObject({ InvoiceAdministrationFee: 29, InvoiceFreight: 49, ShowPriceVATIncluded: true });
    const invoice = await create({ CustomerNumber: card.CustomerNumber, InvoiceRows: [{ ...row, Price: 125 }] });
    // 125 + 29 + 49 including VAT at 25 %: VAT 25 + 5.80 + 9.80.
    expect(invoice).toMatchObject({ AdministrationFee: 29, Freight: 49, VATIncluded: true, TotalVAT: 40.6, Total: 203 });
  });

  it('falls back to the company\'s values when the customer card leaves them blank', async () => {
    await settings({ administrationFee: 50 });
    const card = await customer({ InvoiceFreight: 49 });
    expect(card).toMatchObject({ InvoiceAdministrationFee: null, ShowPriceVATIncluded: false });
    expect(await create({ CustomerNumber: card.CustomerNumber })).toMatchObject({ AdministrationFee: 50, Freight: 49, VATIncluded: false });
  });

  it('stores the customer\'s ExternalReference and invoice terms, and clears a string with API_BLANK', async () => {
    const card = await customer({ ExternalReference: 'SUMMA-KUND-7', InvoiceAdministrationFee: '35' });
    expect(card).toMatchObject({ ExternalReference: 'SUMMA-KUND-7', InvoiceAdministrationFee: 35 });
    const cleared = await kit.fortnox.put(`/3/customers/${String(card.CustomerNumber)}`, { Customer: { ExternalReference: 'API_BLANK', ShowPriceVATIncluded: true } });
    expect(cleared.json).toMatchObject({ Customer: { ExternalReference: null, ShowPriceVATIncluded: true } });
    const tooLong = await kit.fortnox.post('/3/customers', { Customer: { Name: 'Lång referens', ExternalReference: 'x'.repeat(1025) } });
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong)).toEqual({ error: 1, message: 'Värdet i fältet ExternalReference är för långt (högst 1024 tecken)', code: 2999102 });
  });

  it('credits the fee and freight with the rows, so that the credit invoice cancels the original', async () => {
    await settings({ administrationFee: 50, freight: 25 });
    const original = await create({});
    await kit.fortnox.put(`/3/invoices/${String(original.DocumentNumber)}/credit`);
    const credit = ((await kit.fortnox.get('/3/invoices/2')).json as { Invoice: Fields }).Invoice;
    expect(credit).toMatchObject({ Credit: 'true', AdministrationFee: -50, Freight: -25, TotalVAT: -43.75, Total: -219 });
  });

  it('refuses settings it cannot use and forgets them on reset', async () => {
    expect((await settings({ administrationFee: -1 })).status).toBe(400);
    expect((await settings({ colour: 'blue' })).status).toBe(400);
    expect((await control(kit.sandbox).call('GET', '/tenants/9/settings')).status).toBe(404);
    await settings({ freight: 10 });
    await control(kit.sandbox).reset();
    expect((await settings()).json).toEqual({ administrationFee: 0, freight: 0, vatIncluded: false });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxClient } from '../../src/fortnox/client.js';
import { FortnoxApiError, FortnoxRequestInvalidError } from '../../src/fortnox/errors.js';
import type { InvoiceRowWrite } from '../../src/fortnox/resources/invoices.js';
import { bodiesOutsideTheSpec, collectBodiesOutsideTheSpec, sandboxClient, useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';

const today = '2026-03-15';
const row = (fields: Partial<InvoiceRowWrite> = {}): InvoiceRowWrite => ({ AccountNumber: 3001, Description: 'Broschyrer', DeliveredQuantity: '1', Price: 100, VAT: 25, ...fields });

describe('Fortnox client against the sandbox: currencies, terms of payment, sending, credit invoices', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'], today: () => today });
  let fortnox: FortnoxClient;
  beforeAll(() => {
    fortnox = sandboxClient(kit.sandbox, '1');
  });
  const outsideTheSpec = collectBodiesOutsideTheSpec(kit);

  async function customer(fields: { Email?: string; OrganisationNumber?: string } = {}): Promise<string> {
    return (await fortnox.customers.create({ Name: 'Tryckeriet i Luleå AB', ...fields })).CustomerNumber;
  }

  describe('currencies', () => {
    it('lists the currencies the company has set up, with numeric rates, and answers undefined for one it lacks', async () => {
      const currencies = await fortnox.currencies.list();
      expect(currencies.map((currency) => currency.Code)).toEqual(['EUR', 'NOK', 'SEK', 'USD']);
      expect(await fortnox.currencies.get('EUR')).toMatchObject({ Code: 'EUR', SellRate: 11.12, BuyRate: 10.88, Unit: 1, IsAutomatic: false });
      expect(await fortnox.currencies.get('DKK')).toBeUndefined();
    });

    it('creates an EUR invoice at the sell rate or at its own rate, totals in EUR and not rounded', async () => {
      const customerNumber = await customer();
      const atSellRate = await fortnox.invoices.create({ CustomerNumber: customerNumber, InvoiceDate: today, Currency: 'EUR', InvoiceRows: [row({ Price: 10.01 })] });
      expect(atSellRate).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.12, CurrencyUnit: 1, Total: 12.51, RoundOff: 0 });
      const atOwnRate = await fortnox.invoices.create({ CustomerNumber: customerNumber, InvoiceDate: today, Currency: 'EUR', CurrencyRate: 11.4, InvoiceRows: [row()] });
      expect(atOwnRate).toMatchObject({ CurrencyRate: 11.4, Total: 125, RoundOff: 0 });
    });

    it('reports a currency the company has not set up as a 400', async () => {
      const failure = fortnox.invoices.create({ CustomerNumber: await customer(), InvoiceDate: today, Currency: 'GBP', InvoiceRows: [row()] });
      await expect(failure).rejects.toBeInstanceOf(FortnoxApiError);
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2999116 });
    });
  });

  describe('terms of payment', () => {
    it('creates terms, lists them, and an invoice naming them gets its due date from them', async () => {
      expect(await fortnox.termsOfPayments.create({ Code: '45', Description: '45 dagar netto' })).toMatchObject({ Code: '45', Description: '45 dagar netto' });
      expect((await fortnox.termsOfPayments.list()).map((terms) => terms.Code)).toEqual(['10', '15', '20', '30', '45']);
      expect(await fortnox.termsOfPayments.get('45')).toMatchObject({ Code: '45' });
      expect(await fortnox.termsOfPayments.get('7')).toBeUndefined();
      const invoice = await fortnox.invoices.create({ CustomerNumber: await customer(), InvoiceDate: '2026-03-01', TermsOfPayment: '45', InvoiceRows: [row()] });
      expect(invoice).toMatchObject({ TermsOfPayment: '45', DueDate: '2026-04-15' });
    });

    it('refuses to send terms Fortnox would reject, and reports terms already there as a 400', async () => {
      await expect(fortnox.termsOfPayments.create({ Code: 'X'.repeat(26), Description: 'För lång kod' })).rejects.toThrow(FortnoxRequestInvalidError);
      expect(await kit.control.requests({ route: '/3/termsofpayments', method: 'POST' })).toEqual([]);
      await expect(fortnox.termsOfPayments.create({ Code: '30', Description: 'Finns' })).rejects.toMatchObject({ status: 400, code: 2999139 });
    });
  });

  describe('sending', () => {
    it('e-mails an invoice once: Sent is set, and the sandbox counts one send', async () => {
      const created = await fortnox.invoices.create({
        CustomerNumber: await customer({ Email: 'ekonomi@lulea-tryck.se' }),
        InvoiceDate: today,
        EmailInformation: { EmailSubject: 'Faktura {no} från Sandlådans Tryckeri', EmailBody: 'Hej! Här kommer fakturan.' },
        InvoiceRows: [row()],
      });
      expect(created.Sent).toBe(false);
      expect(await fortnox.invoices.email(created.DocumentNumber)).toMatchObject({ DocumentNumber: created.DocumentNumber, Sent: true });
      expect(await fortnox.invoices.get(created.DocumentNumber)).toMatchObject({ Sent: true });
      const { sends } = await kit.control.state('1');
      expect(sends.filter((send) => send.documentNumber === created.DocumentNumber)).toEqual([
        { documentNumber: created.DocumentNumber, kind: 'email', at: sends[0]?.at, to: 'ekonomi@lulea-tryck.se' },
      ]);
    });

    it('sends an e-invoice to a customer with an organisation number', async () => {
      const created = await fortnox.invoices.create({ CustomerNumber: await customer({ OrganisationNumber: '556677-8899' }), InvoiceDate: today, InvoiceRows: [row()] });
      expect(await fortnox.invoices.einvoice(created.DocumentNumber)).toMatchObject({ Sent: true });
      expect((await kit.control.state('1')).sends).toMatchObject([{ kind: 'einvoice', to: '556677-8899' }]);
    });

    it('makes one attempt only: a lost answer leaves the invoice sent once, and Sent tells the caller so', async () => {
      const created = await fortnox.invoices.create({ CustomerNumber: await customer({ Email: 'ekonomi@lulea-tryck.se' }), InvoiceDate: today, InvoiceRows: [row()] });
      await kit.control.addFault({ route: '/3/invoices/{DocumentNumber}/email', kind: 'applyThenDrop', count: 1 });
      await expect(fortnox.invoices.email(created.DocumentNumber)).rejects.toThrow();
      expect((await kit.control.state('1')).sends).toHaveLength(1);
      expect(await fortnox.invoices.get(created.DocumentNumber)).toMatchObject({ Sent: true });
    });

    it('reports an e-mail without an address, and an e-invoice without an organisation number, as 400s that send nothing', async () => {
      const created = await fortnox.invoices.create({ CustomerNumber: await customer(), InvoiceDate: today, InvoiceRows: [row()] });
      await expect(fortnox.invoices.email(created.DocumentNumber)).rejects.toMatchObject({ status: 400, code: 2999125 });
      await expect(fortnox.invoices.einvoice(created.DocumentNumber)).rejects.toMatchObject({ status: 400, code: 2999126 });
      expect((await kit.control.state('1')).sends).toEqual([]);
      expect(await fortnox.invoices.get(created.DocumentNumber)).toMatchObject({ Sent: false });
    });
  });

  describe('partial credit invoices', () => {
    it('credits part of an invoice with negative rows: Credit is true and the totals negative', async () => {
      const customerNumber = await customer();
      const original = await fortnox.invoices.create({
        CustomerNumber: customerNumber,
        InvoiceDate: today,
        InvoiceRows: [row({ DeliveredQuantity: '10' }), row({ AccountNumber: 3003, Description: 'Böcker', Price: 200, VAT: 6 })],
      });
      const credit = await fortnox.invoices.create({
        CustomerNumber: customerNumber,
        InvoiceDate: today,
        CreditInvoiceReference: original.DocumentNumber,
        InvoiceRows: [row({ DeliveredQuantity: '-2.5' })],
      });
      expect(credit).toMatchObject({ Credit: true, CreditInvoiceReference: original.DocumentNumber, Net: -250, TotalVAT: -62.5, Total: -313, RoundOff: -0.5 });
      expect(credit.InvoiceRows).toMatchObject([{ DeliveredQuantity: -2.5, Total: -250 }]);
      expect(await fortnox.invoices.get(original.DocumentNumber)).toMatchObject({ Credit: false, Total: original.Total });
    });

    it('reports a credit reference to an invoice that does not exist as a 400 with 2000434', async () => {
      const failure = fortnox.invoices.create({ CustomerNumber: await customer(), InvoiceDate: today, CreditInvoiceReference: '999', InvoiceRows: [row({ DeliveredQuantity: '-1' })] });
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2000434 });
    });
  });

  it('sent only request bodies that conform to Fortnox\'s OpenAPI schemas', async () => {
    // Runs last: every earlier test's bodies were checked after it ran; this adds the optional fields we send.
    await fortnox.termsOfPayments.create({ Code: '60', Description: '60 dagar netto' });
    await fortnox.invoices.create({
      CustomerNumber: await customer({ Email: 'a@b.se' }),
      InvoiceDate: today,
      TermsOfPayment: '60',
      Currency: 'NOK',
      CurrencyRate: 95.1,
      CurrencyUnit: 100,
      EmailInformation: { EmailAddressTo: 'a@b.se', EmailAddressCC: 'c@d.se', EmailAddressBCC: 'e@f.se', EmailSubject: 'Faktura {no}', EmailBody: 'Hej {name}' },
      InvoiceRows: [row({ DeliveredQuantity: '-1.25' })],
    });
    outsideTheSpec.push(...(await bodiesOutsideTheSpec(kit.sandbox)));
    expect(outsideTheSpec).toEqual([]);
  });
});

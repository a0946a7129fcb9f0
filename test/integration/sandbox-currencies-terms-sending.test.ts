import { describe, expect, it } from 'vitest';
import { control, errorOf, useSandbox } from './sandbox-kit.js';

type Fields = Record<string, unknown>;
const row = (fields: Fields = {}) => ({ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100, Description: 'Visitkort', ...fields });
const invoice = (fields: Fields = {}, rows: Fields[] = [row()]) => ({ Invoice: { CustomerNumber: '1', InvoiceDate: '2026-03-01', InvoiceRows: rows, ...fields } });

describe('Fortnox sandbox: currencies, terms of payment, sending, partial credit, VAT codes', () => {
  const kit = useSandbox();

  const create = async (body: unknown) => {
    const answer = await kit.fortnox.post('/3/invoices', body);
    if (answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.text}`);
    return (answer.json as { Invoice: Fields }).Invoice;
  };
  const state = async () => (await control(kit.sandbox).state('1')).json as Fields & { sends: Fields[]; invoices: Fields[]; termsOfPayments: Fields[] };

  describe('currencies', () => {
    it('lists SEK, EUR, USD and NOK with their rates and units, and has no DKK or GBP', async () => {
      const list = await kit.fortnox.get('/3/currencies');
      expect(list.status).toBe(200);
      const currencies = (list.json as { Currencies: Fields[] }).Currencies;
      expect(currencies.map((currency) => currency.Code)).toEqual(['EUR', 'NOK', 'SEK', 'USD']);
      expect(currencies.find((currency) => currency.Code === 'NOK')).toMatchObject({ Unit: 100, SellRate: 94.85, BuyRate: 92.15 });
      expect((await kit.fortnox.get('/3/currencies/EUR')).json).toMatchObject({
        Currency: { Code: 'EUR', Description: 'Euro', SellRate: 11.12, BuyRate: 10.88, Unit: 1, Date: '2026-03-15', IsAutomatic: false },
      });
      const missing = await kit.fortnox.get('/3/currencies/DKK');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kunde inte hitta valuta (DKK)', Code: 2999116 } });
    });

    it('creates and updates a currency, after which invoices may use it', async () => {
      const created = await kit.fortnox.post('/3/currencies', { Currency: { Code: 'dkk', Description: 'Dansk krona', SellRate: 149.6, BuyRate: 147.2, Unit: 100 } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ Currency: { Code: 'DKK', Unit: 100 } });
      expect((await kit.fortnox.put('/3/currencies/DKK', { Currency: { SellRate: 150 } })).json).toMatchObject({ Currency: { SellRate: 150, BuyRate: 147.2 } });
      expect(await create(invoice({ Currency: 'DKK' }))).toMatchObject({ Currency: 'DKK', CurrencyRate: 150, CurrencyUnit: 100 });
      expect(errorOf(await kit.fortnox.post('/3/currencies', { Currency: { Code: 'DKK', Description: 'Igen' } }))).toMatchObject({ code: 2999138 });
    });

    it('gives an EUR invoice without a rate the sell rate, keeps its totals in EUR and does not round them', async () => {
      const created = await create(invoice({ Currency: 'EUR' }, [row({ Price: 10.01 })]));
      expect(created).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.12, CurrencyUnit: 1, Net: 10.01, TotalVAT: 2.5, Total: 12.51, RoundOff: 0 });
      // The same invoice in SEK is rounded to whole kronor.
      expect(await create(invoice({}, [row({ Price: 10.01 })]))).toMatchObject({ Currency: 'SEK', CurrencyRate: 1, Total: 13, RoundOff: 0.49 });
    });

    it('keeps the CurrencyRate an EUR invoice gives, and takes the customer\'s currency when the invoice names none', async () => {
      expect(await create(invoice({ Currency: 'EUR', CurrencyRate: 11.5 }))).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.5, Total: 125, RoundOff: 0 });
      const fromCustomer = await create(invoice({ CustomerNumber: '6' }, [row({ AccountNumber: 3108, Price: 33.33, DeliveredQuantity: 3 })]));
      expect(fromCustomer).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.12, TotalVAT: 0, Total: 99.99, RoundOff: 0 });
      expect(await create(invoice({ Currency: 'NOK' }))).toMatchObject({ CurrencyRate: 94.85, CurrencyUnit: 100 });
    });

    it('refuses an invoice in a currency the company has not set up, without using a document number', async () => {
      const refused = await kit.fortnox.post('/3/invoices', invoice({ Currency: 'GBP' }));
      expect(refused.status).toBe(400);
      expect(errorOf(refused)).toEqual({ error: 1, message: 'Kunde inte hitta valuta "GBP"', code: 2999116 });
      expect(await create(invoice())).toMatchObject({ DocumentNumber: '1' });
    });

    it('re-rates an invoice whose currency a PUT changes, unless the PUT gives a rate', async () => {
      const created = await create(invoice());
      const path = `/3/invoices/${String(created.DocumentNumber)}`;
      expect((await kit.fortnox.put(path, { Invoice: { Currency: 'USD' } })).json).toMatchObject({ Invoice: { CurrencyRate: 9.64, RoundOff: 0 } });
      expect((await kit.fortnox.put(path, { Invoice: { CurrencyRate: 9.9 } })).json).toMatchObject({ Invoice: { Currency: 'USD', CurrencyRate: 9.9 } });
      expect((await kit.fortnox.put(path, { Invoice: { Currency: 'SEK' } })).json).toMatchObject({ Invoice: { CurrencyRate: 1, Total: 125 } });
    });
  });

  describe('terms of payment', () => {
    it('lists the seeded terms and answers 404 with 2000429 for an unknown code', async () => {
      const list = (await kit.fortnox.get('/3/termsofpayments')).json as { TermsOfPayments: Fields[] };
      expect(list.TermsOfPayments.map((terms) => terms.Code)).toEqual(['10', '15', '20', '30']);
      expect((await kit.fortnox.get('/3/termsofpayments/30')).json).toMatchObject({ TermsOfPayment: { Code: '30', Description: '30 dagar netto' } });
      const missing = await kit.fortnox.get('/3/termsofpayments/7');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta betalningsvillkoret.', Code: 2000429 } });
    });

    it('creates terms with an upper-cased code whose leading number gives the invoice its due date', async () => {
      const created = await kit.fortnox.post('/3/termsofpayments', { TermsOfPayment: { Code: '45dagar', Description: '45 dagar netto' } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ TermsOfPayment: { Code: '45DAGAR' } });
      expect((await state()).termsOfPayments).toContainEqual(expect.objectContaining({ Code: '45DAGAR', NumberOfDays: 45 }));
      expect(await create(invoice({ TermsOfPayment: '45dagar' }))).toMatchObject({ TermsOfPayment: '45DAGAR', DueDate: '2026-04-15' });
      expect(await create(invoice({ TermsOfPayment: '45DAGAR', DueDate: '2026-03-20' }))).toMatchObject({ DueDate: '2026-03-20' });
      expect((await kit.fortnox.post('/3/customers', { Customer: { Name: 'Lång kredit AB', TermsOfPayment: '45Dagar' } })).json).toMatchObject({
        Customer: { TermsOfPayment: '45DAGAR' },
      });
    });

    it('updates a description, refuses a second code alike, and rejects NumberOfDays, which Fortnox\'s schema lacks', async () => {
      expect((await kit.fortnox.put('/3/termsofpayments/20', { TermsOfPayment: { Description: 'Tjugo dagar' } })).json).toMatchObject({
        TermsOfPayment: { Code: '20', Description: 'Tjugo dagar' },
      });
      expect(errorOf(await kit.fortnox.post('/3/termsofpayments', { TermsOfPayment: { Code: '20', Description: 'Igen' } }))).toMatchObject({ code: 2999139 });
      expect(errorOf(await kit.fortnox.post('/3/termsofpayments', { TermsOfPayment: { Code: '60', Description: '60 dagar', NumberOfDays: 60 } }))).toMatchObject({
        code: 2001399,
      });
    });

    it('refuses an invoice whose terms do not exist with 2000429', async () => {
      expect(errorOf(await kit.fortnox.post('/3/invoices', invoice({ TermsOfPayment: '60' })))).toEqual({ error: 1, message: 'Kan inte hitta betalningsvillkoret "60"', code: 2000429 });
    });
  });

  describe('sending', () => {
    it('e-mails an invoice to the customer\'s address, sets Sent, and sends again on a second call', async () => {
      const created = await create(invoice());
      const documentNumber = String(created.DocumentNumber);
      const sent = await kit.fortnox.get(`/3/invoices/${documentNumber}/email`);
      expect(sent.status).toBe(200);
      expect(sent.json).toMatchObject({ Invoice: { DocumentNumber: documentNumber, Sent: true } });
      expect((await kit.fortnox.get(`/3/invoices?sent=true`)).json).toMatchObject({ MetaInformation: { '@TotalResources': 1 } });
      await kit.fortnox.get(`/3/invoices/${documentNumber}/email`);
      const { sends } = await state();
      expect(sends.map(({ at, ...send }) => ({ ...send, at: typeof at }))).toEqual([
        { documentNumber, kind: 'email', at: 'string', to: 'faktura@akessons-tryckeri.se' },
        { documentNumber, kind: 'email', at: 'string', to: 'faktura@akessons-tryckeri.se' },
      ]);
    });

    it('e-mails to the invoice\'s own EmailAddressTo, and refuses an invoice with no address anywhere', async () => {
      const own = await create(invoice({ CustomerNumber: '6', Currency: 'SEK', EmailInformation: { EmailAddressTo: 'buchhaltung@nordisk-druck.de' } }));
      await kit.fortnox.get(`/3/invoices/${String(own.DocumentNumber)}/email`);
      const none = await create(invoice({ CustomerNumber: '6', Currency: 'SEK' }));
      const refused = await kit.fortnox.get(`/3/invoices/${String(none.DocumentNumber)}/email`);
      expect(refused.status).toBe(400);
      expect(errorOf(refused).code).toBe(2999125);
      expect(errorOf(refused).message).toMatch(/EmailAddressTo.*kund 6/);
      const after = await state();
      expect(after.sends).toEqual([expect.objectContaining({ documentNumber: own.DocumentNumber, to: 'buchhaltung@nordisk-druck.de' })]);
      expect(after.invoices.find((item) => item.DocumentNumber === none.DocumentNumber)).toMatchObject({ Sent: false });
    });

    it('sends an e-invoice to a customer with an organisation number, and refuses one without', async () => {
      const withNumber = await create(invoice());
      expect((await kit.fortnox.get(`/3/invoices/${String(withNumber.DocumentNumber)}/einvoice`)).json).toMatchObject({ Invoice: { Sent: true } });
      const without = await create(invoice({ CustomerNumber: '6', Currency: 'SEK' }));
      expect(errorOf(await kit.fortnox.get(`/3/invoices/${String(without.DocumentNumber)}/einvoice`))).toMatchObject({ code: 2999126 });
      expect((await state()).sends).toEqual([expect.objectContaining({ kind: 'einvoice', to: '556123-4567' })]);
    });

    it('sends by e-print to the postal address, refuses a cancelled invoice and answers 404 for an unknown one', async () => {
      const printed = await create(invoice());
      expect((await kit.fortnox.get(`/3/invoices/${String(printed.DocumentNumber)}/eprint`)).status).toBe(200);
      expect((await state()).sends).toEqual([expect.objectContaining({ kind: 'eprint', to: 'Åkessons Tryckeri AB, Storgatan 12, 411 38 Göteborg' })]);
      const cancelled = await create(invoice());
      await kit.fortnox.put(`/3/invoices/${String(cancelled.DocumentNumber)}/cancel`);
      expect(errorOf(await kit.fortnox.get(`/3/invoices/${String(cancelled.DocumentNumber)}/email`))).toMatchObject({ code: 2999121 });
      const unknown = await kit.fortnox.get('/3/invoices/999/email');
      expect(unknown.status).toBe(404);
      expect(errorOf(unknown)).toMatchObject({ code: 2000434 });
    });
  });

  describe('partial credit invoices', () => {
    it('creates a credit invoice from negative rows and leaves the original as it was', async () => {
      const original = await create(invoice({}, [row(), row({ AccountNumber: 3003, Price: 50, DeliveredQuantity: 2, Description: 'Böcker' })]));
      const credit = await create(invoice({ CreditInvoiceReference: original.DocumentNumber }, [row({ DeliveredQuantity: -1 })]));
      expect(credit).toMatchObject({
        Credit: 'true',
        CreditInvoiceReference: original.DocumentNumber,
        Net: -100,
        TotalVAT: -25,
        Total: -125,
        RoundOff: 0,
        InvoiceRows: [{ DeliveredQuantity: '-1', Total: -100 }],
      });
      expect((await kit.fortnox.get(`/3/invoices/${String(original.DocumentNumber)}`)).json).toMatchObject({
        Invoice: { Credit: 'false', CreditInvoiceReference: '0', Total: original.Total },
      });
      expect((await kit.fortnox.get('/3/invoices?credit=true')).json).toMatchObject({ MetaInformation: { '@TotalResources': 1 } });
    });

    it('refuses a credit reference to an unknown invoice with 2000434, and crediting a credit invoice', async () => {
      const unknown = await kit.fortnox.post('/3/invoices', invoice({ CreditInvoiceReference: '999' }, [row({ DeliveredQuantity: -1 })]));
      expect(unknown.status).toBe(400);
      expect(errorOf(unknown)).toEqual({ error: 1, message: 'Kan inte hitta fakturan.', code: 2000434 });
      const original = await create(invoice());
      const credit = await create(invoice({ CreditInvoiceReference: original.DocumentNumber }, [row({ DeliveredQuantity: -1 })]));
      expect(errorOf(await kit.fortnox.post('/3/invoices', invoice({ CreditInvoiceReference: credit.DocumentNumber }, [row()])))).toMatchObject({ code: 2999123 });
    });
  });

  describe('accounts and VAT codes', () => {
    it('lists the sales accounts active with their VAT codes, and 2420 without one', async () => {
      const accounts = ((await kit.fortnox.get('/3/accounts')).json as { Accounts: Fields[] }).Accounts;
      const vatCodes: Record<string, unknown> = {};
      for (const account of accounts) if (account.Active === true) vatCodes[String(account.Number)] = account.VATCode;
      expect(vatCodes).toMatchObject({
        3001: 'MP1',
        3002: 'MP2',
        3003: 'MP3',
        3004: 'MF',
        3105: 'E',
        3106: 'MP1',
        3108: 'VTEU',
        3231: 'OTTU',
        3305: 'ÖTEU',
        3308: 'FTEU',
        2420: '',
      });
    });

    it('accepts a row whose VAT differs from its account\'s code, as Fortnox documents no such error', async () => {
      expect(await create(invoice({}, [row({ AccountNumber: 3001, VAT: 6 })]))).toMatchObject({ InvoiceRows: [{ AccountNumber: 3001, VAT: 6 }] });
    });
  });
});

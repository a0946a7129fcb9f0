import { describe, expect, it } from 'vitest';
import { api, authorizationCode, control, errorOf, tokenRequest, useSandbox } from './sandbox-kit.js';

type Fields = Record<string, unknown>;
const rows = [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100, Description: 'Visitkort' }];
const pad = (value: number) => String(value).padStart(2, '0');
/** Fortnox's `lastmodified` format, in the local time the sandbox reads it in. */
const lastModified = (date: Date) =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Fortnox sandbox: invoice payments and what they do to the invoice', () => {
  const kit = useSandbox();

  const invoice = async (fields: Fields = {}, book = true) => {
    const answer = await kit.fortnox.post('/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: rows, ...fields } });
    if (answer.status !== 201) throw new Error(`invoice: ${answer.status} ${answer.text}`);
    const documentNumber = String((answer.json as { Invoice: Fields }).Invoice.DocumentNumber);
    if (book) expect((await kit.fortnox.put(`/3/invoices/${documentNumber}/bookkeep`)).status).toBe(200);
    return documentNumber;
  };
  const pay = async (fields: Fields) => {
    const answer = await kit.fortnox.post('/3/invoicepayments', { InvoicePayment: fields });
    if (answer.status !== 201) throw new Error(`payment: ${answer.status} ${answer.text}`);
    return (answer.json as { InvoicePayment: Fields }).InvoicePayment;
  };
  const read = async (documentNumber: string) => ((await kit.fortnox.get(`/3/invoices/${documentNumber}`)).json as { Invoice: Fields }).Invoice;
  const listed = async (query: string) => ((await kit.fortnox.get(`/3/invoices?${query}`)).json as { Invoices: Fields[] }).Invoices.map((item) => item.DocumentNumber);

  it('needs the payment scope, which a token asked for with other scopes does not carry', async () => {
    const answer = await tokenRequest(kit.sandbox, { grant_type: 'client_credentials', scope: 'invoice customer' }, { TenantId: '1' });
    expect(answer.json).toMatchObject({ scope: 'invoice customer' });
    const withoutPayment = api(kit.sandbox, (answer.json as { access_token: string }).access_token);
    const refused = await withoutPayment.get('/3/invoicepayments');
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ ErrorInformation: { error: 1, message: 'Har inte behörighet för scope (payment)', code: 2000663 } });
    expect((await withoutPayment.get('/3/invoices')).status).toBe(200);
    expect((await kit.fortnox.get('/3/invoicepayments')).status).toBe(200);
  });

  it('grants the payment scope through a consent that asks for it, and only then', async () => {
    const tokenFor = async (scope: string) => {
      const { code } = await authorizationCode(kit.sandbox, { scope });
      const answer = await tokenRequest(kit.sandbox, { grant_type: 'authorization_code', code: code ?? '', redirect_uri: 'http://localhost:5555/callback' });
      return answer.json as { access_token: string; scope: string };
    };
    const withPayment = await tokenFor('invoice payment');
    expect(withPayment.scope).toBe('invoice payment');
    expect((await api(kit.sandbox, withPayment.access_token).get('/3/invoicepayments')).status).toBe(200);
    expect(errorOf(await api(kit.sandbox, (await tokenFor('invoice')).access_token).get('/3/invoicepayments')).code).toBe(2000663);
  });

  it('registers a payment with the invoice\'s fields, and a part payment leaves the rest as the balance', async () => {
    const documentNumber = await invoice({ ExternalInvoiceReference1: 'SUMMA-9' });
    const answer = await kit.fortnox.post('/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(documentNumber), Amount: 100 } });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe('invoicepayments');
    expect(answer.json).toEqual({
      InvoicePayment: {
        '@url': `${kit.sandbox.url}/3/invoicepayments/1`,
        Amount: 100,
        AmountCurrency: 100,
        Booked: false,
        Currency: 'SEK',
        CurrencyRate: 1,
        CurrencyUnit: 1,
        ExternalInvoiceReference1: 'SUMMA-9',
        ExternalInvoiceReference2: '',
        InvoiceCustomerName: 'Åkessons Tryckeri AB',
        InvoiceCustomerNumber: '1',
        InvoiceDueDate: '2026-04-14',
        InvoiceNumber: 1,
        InvoiceOCR: '133',
        InvoiceTotal: '125',
        ModeOfPayment: '',
        ModeOfPaymentAccount: 1930,
        Number: '1',
        PaymentDate: '2026-03-15',
        Source: 'manual',
        VoucherNumber: null,
        VoucherSeries: null,
        VoucherYear: null,
        WriteOffs: [],
      },
    });
    expect(await read(documentNumber)).toMatchObject({ Total: 125, TotalToPay: 125, Balance: 25, FinalPayDate: null });
    expect(await listed('filter=unpaid')).toEqual([documentNumber]);
  });

  it('marks the invoice fully paid on the date of the payment that settles it', async () => {
    const documentNumber = await invoice();
    await pay({ InvoiceNumber: Number(documentNumber), Amount: 100, PaymentDate: '2026-03-16' });
    await pay({ InvoiceNumber: Number(documentNumber), Amount: 25, PaymentDate: '2026-03-20' });
    expect(await read(documentNumber)).toMatchObject({ Balance: 0, FinalPayDate: '2026-03-20' });
    expect(await listed('filter=fullypaid')).toEqual([documentNumber]);
    expect(await listed('filter=unpaid')).toEqual([]);
    expect(await listed('fromfinalpaydate=2026-03-20&tofinalpaydate=2026-03-31')).toEqual([documentNumber]);
    const item = ((await kit.fortnox.get('/3/invoices?filter=fullypaid')).json as { Invoices: Fields[] }).Invoices[0];
    expect(item).toMatchObject({ Balance: 0, FinalPayDate: '2026-03-20', Total: 125, Cancelled: false, CurrencyRate: '1', CurrencyUnit: 1 });
  });

  it('accepts an over-payment, as Fortnox does, leaving a negative balance', async () => {
    const documentNumber = await invoice();
    for (let index = 0; index < 3; index += 1) await pay({ InvoiceNumber: Number(documentNumber), Amount: 50 });
    expect(await read(documentNumber)).toMatchObject({ Balance: -25, FinalPayDate: '2026-03-15' });
  });

  it('settles an invoice with a write-off of the remainder', async () => {
    const documentNumber = await invoice({ InvoiceRows: [{ ...rows[0], Price: 99.9 }] });
    expect(await read(documentNumber)).toMatchObject({ Total: 125, RoundOff: 0.12 });
    const payment = await pay({ InvoiceNumber: Number(documentNumber), Amount: 124, WriteOffs: [{ AccountNumber: 3740, Amount: 1, Description: 'Öresavrundning' }] });
    expect(payment.WriteOffs).toEqual([{ AccountNumber: 3740, Amount: 1, CostCenter: '', Currency: 'SEK', Description: 'Öresavrundning', Project: '', TransactionInformation: '' }]);
    expect(await read(documentNumber)).toMatchObject({ Balance: 0, FinalPayDate: '2026-03-15' });
  });

  it('takes a foreign-currency payment in the invoice\'s currency and converts Amount at the invoice\'s rate', async () => {
    const documentNumber = await invoice({ CustomerNumber: '6', InvoiceRows: [{ AccountNumber: 3308, DeliveredQuantity: 1, Price: 200, Description: 'Tjänst' }] });
    expect(await read(documentNumber)).toMatchObject({ Currency: 'EUR', CurrencyRate: 11.12, Total: 200 });
    const refused = await kit.fortnox.post('/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(documentNumber), Amount: 1112 } });
    expect(errorOf(refused)).toEqual({ error: 1, message: 'Fältet AmountCurrency måste anges för en faktura i EUR', code: 2999107 });
    expect(await pay({ InvoiceNumber: Number(documentNumber), AmountCurrency: 100 })).toMatchObject({ Amount: 1112, AmountCurrency: 100, Currency: 'EUR', CurrencyRate: 11.12 });
    expect(await read(documentNumber)).toMatchObject({ Balance: 100, FinalPayDate: null });
  });

  describe('refuses what Fortnox refuses', () => {
    it.each([
      ['an unknown invoice', { InvoiceNumber: 404, Amount: 1 }, 2000434, 'Kan inte hitta fakturan.'],
      ['a payment date before the invoice date', { InvoiceNumber: 1, Amount: 1, PaymentDate: '2026-03-14' }, 2999146, 'Betaldatum 2026-03-14 är före fakturadatum 2026-03-15'],
      ['a payment without an amount', { InvoiceNumber: 1 }, 2999107, 'Fältet Amount måste anges'],
      ['a payment to an account missing from the chart', { InvoiceNumber: 1, Amount: 1, ModeOfPaymentAccount: 1999 }, 2001304, 'Kunde inte hitta konto (ModeOfPaymentAccount 1999)'],
      ['a field the spec does not have', { InvoiceNumber: 1, Amount: 1, Colour: 'blå' }, 2001399, 'Felaktigt fältnamn (Colour)'],
    ])('refuses %s with 400', async (_name, payment, code, message) => {
      await invoice();
      const answer = await kit.fortnox.post('/3/invoicepayments', { InvoicePayment: payment });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ ErrorInformation: { error: 1, message, code } });
    });

    it('refuses a payment on an unbooked or a cancelled invoice', async () => {
      const unbooked = await invoice({}, false);
      expect(errorOf(await kit.fortnox.post('/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(unbooked), Amount: 125 } }))).toEqual({
        error: 1,
        message: 'Faktura 1 är inte bokförd: bokför fakturan innan en inbetalning registreras',
        code: 2999145,
      });
      await kit.fortnox.put(`/3/invoices/${unbooked}/cancel`);
      expect(errorOf(await kit.fortnox.post('/3/invoicepayments', { InvoicePayment: { InvoiceNumber: Number(unbooked), Amount: 125 } }))).toEqual({
        error: 1,
        message: 'Faktura 1 är makulerad och kan inte betalas',
        code: 2999121,
      });
      expect(await read(unbooked)).toMatchObject({ Cancelled: true, Balance: 125, FinalPayDate: null });
      expect(await listed('filter=cancelled')).toEqual([unbooked]);
      expect(await listed('filter=unpaid')).toEqual([]);
    });
  });

  it('updates and removes an unbooked payment, books one without a body, and then refuses to change it', async () => {
    const documentNumber = await invoice();
    const first = await pay({ InvoiceNumber: Number(documentNumber), Amount: 125 });
    expect((await kit.fortnox.put('/3/invoicepayments/1', { InvoicePayment: { PaymentDate: '2026-03-18', Amount: 120 } })).json).toMatchObject({
      InvoicePayment: { Number: first.Number, PaymentDate: '2026-03-18', Amount: 120, AmountCurrency: 120 },
    });
    expect(await read(documentNumber)).toMatchObject({ Balance: 5 });
    expect((await kit.fortnox.delete('/3/invoicepayments/1')).status).toBe(204);
    expect(await read(documentNumber)).toMatchObject({ Balance: 125 });
    expect((await kit.fortnox.get('/3/invoicepayments/1')).json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta inbetalningen.', Code: 2999148 } });

    await pay({ InvoiceNumber: Number(documentNumber), Amount: 125 });
    const booked = await kit.fortnox.put('/3/invoicepayments/2/bookkeep');
    expect(booked.status).toBe(200);
    expect(booked.json).toMatchObject({ InvoicePayment: { Number: '2', Booked: true, VoucherSeries: 'C', VoucherNumber: 1, VoucherYear: 2 } });
    expect(errorOf(await kit.fortnox.put('/3/invoicepayments/2', { InvoicePayment: { Amount: 1 } }))).toEqual({ error: 1, message: 'Inbetalning 2 är bokförd och kan inte ändras', code: 2999147 });
    expect(errorOf(await kit.fortnox.delete('/3/invoicepayments/2')).message).toBe('Inbetalning 2 är bokförd och kan inte tas bort');
    expect(errorOf(await kit.fortnox.put('/3/invoicepayments/2/bookkeep', { InvoicePayment: {} })).message).toBe('Inbetalning 2 är redan bokförd');
  });

  it('lists payments by invoice number, sorted by payment date, as list items', async () => {
    const one = await invoice();
    const two = await invoice();
    await pay({ InvoiceNumber: Number(one), Amount: 10, PaymentDate: '2026-03-20' });
    await pay({ InvoiceNumber: Number(two), Amount: 20 });
    await pay({ InvoiceNumber: Number(one), Amount: 30, PaymentDate: '2026-03-16', WriteOffs: [{ AccountNumber: 3740, Amount: 0.5 }] });
    const answer = (await kit.fortnox.get(`/3/invoicepayments?invoicenumber=${one}&sortby=paymentdate`)).json as { MetaInformation: Fields; InvoicePayments: Fields[] };
    expect(answer.MetaInformation).toEqual({ '@TotalResources': 2, '@TotalPages': 1, '@CurrentPage': 1 });
    expect(answer.InvoicePayments).toEqual([
      {
        '@url': `${kit.sandbox.url}/3/invoicepayments/3`,
        Amount: 30,
        Booked: false,
        Currency: 'SEK',
        CurrencyRate: 1,
        CurrencyUnit: 1,
        InvoiceNumber: 1,
        Number: '3',
        PaymentDate: '2026-03-16',
        Source: 'manual',
        WriteOffExist: true,
      },
      expect.objectContaining({ Number: '1', PaymentDate: '2026-03-20', WriteOffExist: false }),
    ]);
    expect(errorOf(await kit.fortnox.get('/3/invoicepayments?invoicenumber=ett')).code).toBe(2000588);
  });

  it('counts a payment as a change of its invoice for lastmodified, and so is a reminder', async () => {
    const paid = await invoice();
    const reminded = await invoice();
    await invoice();
    await sleep(1100);
    const since = lastModified(new Date());
    expect(await listed(`lastmodified=${encodeURIComponent(since)}`)).toEqual([]);
    await pay({ InvoiceNumber: Number(paid), Amount: 1 });
    expect((await control(kit.sandbox).call('POST', `/tenants/1/invoices/${reminded}/reminders`, {})).status).toBe(200);
    expect(await listed(`lastmodified=${encodeURIComponent(since)}`)).toEqual([paid, reminded]);
    expect(((await kit.fortnox.get(`/3/invoicepayments?lastmodified=${encodeURIComponent(since)}`)).json as { InvoicePayments: unknown[] }).InvoicePayments).toHaveLength(1);
  });

  it('lists an unpaid invoice past its due date as unpaidoverdue, by the sandbox\'s date', async () => {
    const overdue = await invoice({ InvoiceDate: '2026-02-01' });
    await invoice();
    expect(await read(overdue)).toMatchObject({ DueDate: '2026-03-03' });
    expect(await listed('filter=unpaidoverdue')).toEqual([overdue]);
    await pay({ InvoiceNumber: Number(overdue), Amount: 125 });
    expect(await listed('filter=unpaidoverdue')).toEqual([]);
  });

  it('lists credit invoices with credit=true and the others with credit=false', async () => {
    const original = await invoice();
    await kit.fortnox.put(`/3/invoices/${original}/credit`);
    expect(await listed('credit=true')).toEqual(['2']);
    expect(await listed('credit=false')).toEqual([original]);
  });
});

describe('Fortnox sandbox control: a payment as a bank file brings it, and reminders', () => {
  const kit = useSandbox();
  const payments = (documentNumber: string, body: Fields = {}) => control(kit.sandbox).call('POST', `/tenants/1/invoices/${documentNumber}/payments`, body);
  const create = async (fields: Fields = {}) =>
    String(((await kit.fortnox.post('/3/invoices', { Invoice: { CustomerNumber: '1', InvoiceRows: rows, ...fields } })).json as { Invoice: Fields }).Invoice.DocumentNumber);

  it('pays an unbooked invoice in one call: books it, registers and books the payment of its balance', async () => {
    const documentNumber = await create();
    const answer = await payments(documentNumber);
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      bookedInvoice: true,
      payment: { Number: '1', InvoiceNumber: 1, Amount: 125, Booked: true, VoucherSeries: 'C', PaymentDate: '2026-03-15' },
      invoice: { Booked: true, Balance: 0, FinalPayDate: '2026-03-15' },
    });
    expect(((await kit.fortnox.get('/3/invoices?filter=fullypaid')).json as { Invoices: Fields[] }).Invoices).toMatchObject([{ DocumentNumber: documentNumber, Balance: 0 }]);
    expect((await payments(documentNumber)).json).toEqual({ error: 'Invoice 1 is already fully paid.' });
  });

  it('takes a part payment on a given date and leaves the invoice unchanged when Fortnox would refuse the payment', async () => {
    const documentNumber = await create();
    expect((await payments(documentNumber, { amount: 100, paymentDate: '2026-03-20' })).json).toMatchObject({ invoice: { Balance: 25, FinalPayDate: null } });
    const other = await create({ InvoiceDate: '2026-03-10' });
    const refused = await payments(other, { paymentDate: '2026-03-01' });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: 'Betaldatum 2026-03-01 är före fakturadatum 2026-03-10', code: 2999146 });
    expect((await kit.fortnox.get(`/3/invoices/${other}`)).json).toMatchObject({ Invoice: { Booked: false, VoucherNumber: null, Balance: 125 } });
    expect((await payments('99')).status).toBe(404);
    expect((await payments(documentNumber, { amount: 'all' })).status).toBe(400);
  });

  it('counts reminders on the invoice and refuses to remind of a cancelled one', async () => {
    const documentNumber = await create();
    expect((await control(kit.sandbox).call('POST', `/tenants/1/invoices/${documentNumber}/reminders`, {})).json).toMatchObject({ invoice: { Reminders: 1, LastRemindDate: '2026-03-15' } });
    await control(kit.sandbox).call('POST', `/tenants/1/invoices/${documentNumber}/reminders`, { date: '2026-03-25' });
    expect((await kit.fortnox.get(`/3/invoices/${documentNumber}`)).json).toMatchObject({ Invoice: { Reminders: 2, LastRemindDate: '2026-03-25' } });
    const cancelled = await create();
    await kit.fortnox.put(`/3/invoices/${cancelled}/cancel`);
    const refused = await control(kit.sandbox).call('POST', `/tenants/1/invoices/${cancelled}/reminders`, {});
    expect(refused.status).toBe(409);
    expect(refused.json).toEqual({ error: 'Invoice 2 is cancelled.' });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxClient } from '../../src/fortnox/client.js';
import { FortnoxApiError, FortnoxRequestInvalidError } from '../../src/fortnox/errors.js';
import { API_BLANK } from '../../src/fortnox/resources/customers.js';
import { bodiesOutsideTheSpec, collectBodiesOutsideTheSpec, sandboxClient, useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';
import { control } from './sandbox-kit.js';

const today = '2026-03-15';
const row = { AccountNumber: 3001, Description: 'Visitkort', DeliveredQuantity: '1', Price: 100, VAT: 25 };

describe('Fortnox client against the sandbox: invoice defaults, payments and the paid state', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, today: () => today });
  let fortnox: FortnoxClient;
  beforeAll(() => {
    fortnox = sandboxClient(kit.sandbox, '1');
  });
  const outsideTheSpec = collectBodiesOutsideTheSpec(kit);

  const bookedInvoice = async (fields: Record<string, unknown> = {}) => {
    const invoice = await fortnox.invoices.create({ CustomerNumber: '1', InvoiceDate: today, InvoiceRows: [row], ...fields });
    await fortnox.invoices.bookkeep(invoice.DocumentNumber);
    return invoice;
  };

  describe('customers and predefined invoice values', () => {
    it('sends and reads the customer\'s external reference and invoice terms, and clears fields with API_BLANK', async () => {
      const created = await fortnox.customers.create({
        Name: 'Villkorskund AB',
        CountryCode: 'SE',
        ExternalReference: 'SUMMA-K-1',
        ShowPriceVATIncluded: true,
        InvoiceAdministrationFee: 29,
        InvoiceFreight: 49,
      });
      expect(created).toMatchObject({ ExternalReference: 'SUMMA-K-1', ShowPriceVATIncluded: true, InvoiceAdministrationFee: 29, InvoiceFreight: 49, Country: 'Sverige' });
      const cleared = await fortnox.customers.update(created.CustomerNumber, { ExternalReference: API_BLANK, CountryCode: API_BLANK });
      expect(cleared.ExternalReference).toBeUndefined();
      expect(cleared.CountryCode).toBeUndefined();
      expect(cleared.Country).toBeUndefined();
    });

    it('refuses to send a customer update Fortnox would reject, blank or not', async () => {
      await expect(fortnox.customers.update('1', { CountryCode: 'SVE' })).rejects.toThrow(FortnoxRequestInvalidError);
      await expect(fortnox.customers.update('1', { ExternalReference: 'x'.repeat(1025) })).rejects.toThrow(/ExternalReference/);
      expect(await kit.control.requests({ route: '/3/customers/{CustomerNumber}', method: 'PUT' })).toEqual([]);
    });

    it('gets the company\'s fee when it sends none, and none when it sends 0', async () => {
      expect((await control(kit.sandbox).call('PUT', '/tenants/1/settings', { administrationFee: 50 })).status).toBe(200);
      expect(await fortnox.invoices.create({ CustomerNumber: '1', InvoiceDate: today, InvoiceRows: [row] })).toMatchObject({ AdministrationFee: 50, Total: 188 });
      expect(await fortnox.invoices.create({ CustomerNumber: '1', InvoiceDate: today, AdministrationFee: 0, Freight: 0, VATIncluded: false, InvoiceRows: [row] })).toMatchObject({
        AdministrationFee: 0,
        Freight: 0,
        VATIncluded: false,
        Total: 125,
      });
    });
  });

  describe('payments', () => {
    it('registers a part payment, reads the balance, then pays the rest and sees the invoice fully paid', async () => {
      const invoice = await bookedInvoice({ ExternalInvoiceReference1: 'SUMMA-P-1' });
      const first = await fortnox.invoicePayments.create({ InvoiceNumber: Number(invoice.DocumentNumber), Amount: 100 });
      expect(first).toMatchObject({ InvoiceNumber: Number(invoice.DocumentNumber), Amount: 100, Booked: false, InvoiceTotal: 125, ExternalInvoiceReference1: 'SUMMA-P-1' });
      expect(await fortnox.invoices.get(invoice.DocumentNumber)).toMatchObject({ Balance: 25, FinalPayDate: undefined, TotalToPay: 125 });
      expect((await fortnox.invoices.list({ filter: 'unpaid' })).map((item) => item.DocumentNumber)).toEqual([invoice.DocumentNumber]);

      const rest = await fortnox.invoicePayments.create({ InvoiceNumber: Number(invoice.DocumentNumber), Amount: 25, PaymentDate: '2026-03-18', ModeOfPaymentAccount: 1930 });
      expect(await fortnox.invoicePayments.bookkeep(rest.Number)).toMatchObject({ Booked: true, VoucherSeries: 'C' });
      expect(await fortnox.invoicePayments.get(rest.Number)).toMatchObject({ PaymentDate: '2026-03-18', Booked: true });
      expect(await fortnox.invoicePayments.get('999')).toBeUndefined();
      const [paid] = await fortnox.invoices.list({ filter: 'fullypaid' });
      expect(paid).toMatchObject({ DocumentNumber: invoice.DocumentNumber, Balance: 0, FinalPayDate: '2026-03-18', Total: 125, CurrencyRate: 1, CurrencyUnit: 1, Cancelled: false });
      expect((await fortnox.invoicePayments.list({ invoicenumber: Number(invoice.DocumentNumber), sortby: 'paymentdate' })).map((payment) => payment.Amount)).toEqual([100, 25]);
    });

    it('writes a remainder off and pays a foreign-currency invoice in its own currency', async () => {
      const invoice = await bookedInvoice();
      await fortnox.invoicePayments.create({ InvoiceNumber: Number(invoice.DocumentNumber), Amount: 124, WriteOffs: [{ AccountNumber: 3740, Amount: 1, Description: 'Avrundning' }] });
      expect(await fortnox.invoices.get(invoice.DocumentNumber)).toMatchObject({ Balance: 0, FinalPayDate: today });

      const euro = await bookedInvoice({ CustomerNumber: '6', InvoiceRows: [{ AccountNumber: 3308, Description: 'Tjänst', DeliveredQuantity: '1', Price: 200, VAT: 0 }] });
      expect(await fortnox.invoicePayments.create({ InvoiceNumber: Number(euro.DocumentNumber), AmountCurrency: 200 })).toMatchObject({ Amount: 2224, Currency: 'EUR' });
      expect(await fortnox.invoices.get(euro.DocumentNumber)).toMatchObject({ Balance: 0, Currency: 'EUR' });
    });

    it('reports a payment on an unbooked invoice as Fortnox\'s refusal, and refuses to send a payment outside the spec', async () => {
      const unbooked = await fortnox.invoices.create({ CustomerNumber: '1', InvoiceDate: today, InvoiceRows: [row] });
      const failure = fortnox.invoicePayments.create({ InvoiceNumber: Number(unbooked.DocumentNumber), Amount: 125 });
      await expect(failure).rejects.toBeInstanceOf(FortnoxApiError);
      await expect(failure).rejects.toMatchObject({ status: 400, code: 2999145 });
      await expect(fortnox.invoicePayments.create({ InvoiceNumber: 1, Amount: 1, ModeOfPaymentAccount: 19300 })).rejects.toThrow(FortnoxRequestInvalidError);
      await expect(fortnox.invoicePayments.create({ InvoiceNumber: 1, Amount: 1, PaymentDate: '15/3/2026' })).rejects.toThrow(/PaymentDate/);
    });
  });

  describe('watching invoices', () => {
    it('lists invoices changed since a time, by invoice date and by credit, and cancels one', async () => {
      const early = await fortnox.invoices.create({ CustomerNumber: '1', InvoiceDate: '2026-01-10', InvoiceRows: [row] });
      const late = await bookedInvoice();
      await fortnox.invoices.credit(late.DocumentNumber);
      expect((await fortnox.invoices.list({ fromdate: '2026-01-01', todate: '2026-01-31' })).map((item) => item.DocumentNumber)).toEqual([early.DocumentNumber]);
      expect((await fortnox.invoices.list({ credit: true })).map((item) => item.DocumentNumber)).toEqual(['3']);
      expect((await fortnox.invoices.list({ credit: false })).map((item) => item.DocumentNumber)).toEqual([early.DocumentNumber, late.DocumentNumber]);
      expect(await fortnox.invoices.list({ lastmodified: '2999-01-01 00:00' })).toEqual([]);
      expect((await fortnox.invoices.list({ lastmodified: '2000-01-01 00:00' })).length).toBe(3);

      expect(await fortnox.invoices.cancel(early.DocumentNumber)).toMatchObject({ Cancelled: true });
      expect((await fortnox.invoices.list({ filter: 'cancelled' })).map((item) => item.DocumentNumber)).toEqual([early.DocumentNumber]);
    });

    it('reads the reminders sent for an invoice', async () => {
      const invoice = await bookedInvoice();
      await control(kit.sandbox).call('POST', `/tenants/1/invoices/${invoice.DocumentNumber}/reminders`, { date: '2026-04-20' });
      expect(await fortnox.invoices.get(invoice.DocumentNumber)).toMatchObject({ Reminders: 1, LastRemindDate: '2026-04-20' });
    });

    it('refuses a lastmodified Fortnox cannot read, before sending anything', async () => {
      await expect(fortnox.invoices.list({ lastmodified: '2026-03-15T10:00:00Z' })).rejects.toThrow(FortnoxRequestInvalidError);
      await expect(fortnox.invoicePayments.list({ lastmodified: 'yesterday' })).rejects.toThrow(/lastmodified/);
      expect(await kit.control.requests({ method: 'GET' })).toEqual([]);
    });
  });

  it('sent only request bodies that conform to Fortnox\'s OpenAPI schemas', async () => {
    // Runs last: every earlier test's bodies were checked after it ran; this adds the optional fields we send.
    await fortnox.units.create({ Code: 'bunt', Description: 'Bunt', CodeEnglish: 'bundle' });
    const customerNumber = (await fortnox.customers.create({ Name: 'Schema AB', ExternalReference: 'S-1', ShowPriceVATIncluded: false, InvoiceAdministrationFee: 0, InvoiceFreight: 10 })).CustomerNumber;
    await fortnox.customers.update(customerNumber, { Email: API_BLANK, InvoiceFreight: 0 });
    const invoice = await bookedInvoice({ CustomerNumber: customerNumber, AdministrationFee: 10, Freight: 5, VATIncluded: true, DeliveryDate: today, InvoiceRows: [{ ...row, Unit: 'bunt' }] });
    await fortnox.invoicePayments.create({
      InvoiceNumber: Number(invoice.DocumentNumber),
      Amount: 10,
      AmountCurrency: 10,
      CurrencyRate: 1,
      PaymentDate: today,
      ModeOfPayment: 'BG',
      ModeOfPaymentAccount: 1930,
      WriteOffs: [{ AccountNumber: 3740, Amount: 0.5, Description: 'Öre', CostCenter: 'TRYCK', Project: '1', TransactionInformation: 'x' }],
    });
    outsideTheSpec.push(...(await bodiesOutsideTheSpec(kit.sandbox)));
    expect(outsideTheSpec).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { hasValidLuhnCheckDigit } from '../../src/sandbox/fortnox/ocr.js';
import { errorOf, useSandbox } from './sandbox-kit.js';

type Row = Record<string, unknown>;
const invoice = (fields: Record<string, unknown> = {}, rows: Row[] = [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100, Description: 'Visitkort' }]) => ({
  Invoice: { CustomerNumber: '1', InvoiceRows: rows, ...fields },
});

describe('Fortnox sandbox: invoices', () => {
  const kit = useSandbox();

  const create = async (body: unknown) => {
    const answer = await kit.fortnox.post('/3/invoices', body);
    if (answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.text}`);
    return (answer.json as { Invoice: Record<string, unknown> }).Invoice;
  };

  it('creates an invoice with Fortnox\'s totals: 100 at 25 % + freight 25 + fee 50 → Total 219, RoundOff 0.25', async () => {
    const answer = await kit.fortnox.post('/3/invoices', invoice({ Freight: 25, AdministrationFee: 50 }));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe('invoices');
    expect(answer.json).toMatchObject({
      Invoice: {
        DocumentNumber: '1',
        Net: 100,
        Gross: 100,
        FreightVAT: 6.25,
        AdministrationFeeVAT: 12.5,
        TotalVAT: 43.75,
        Total: 219,
        RoundOff: 0.25,
        TotalToPay: 219,
        Balance: 219,
        Credit: 'false',
        CreditInvoiceReference: '0',
        Booked: false,
        Cancelled: false,
        Sent: false,
        InvoiceRows: [{ AccountNumber: 3001, DeliveredQuantity: '1', Price: 100, Total: 100, VAT: 25, VATCode: 'MP1', DiscountType: 'PERCENT' }],
      },
    });
  });

  it('computes VAT per rate on a mixed 25 % / 6 % invoice to the öre', async () => {
    const created = await create(
      invoice({}, [
        { AccountNumber: 3001, DeliveredQuantity: 3, Price: 99.9, Description: 'Affischer A2' },
        { AccountNumber: 3003, DeliveredQuantity: 2, Price: 45.5, Description: 'Böcker' },
      ]),
    );
    expect(created).toMatchObject({ Net: 390.7, TotalVAT: 80.39, Total: 471, RoundOff: -0.09 });
    expect(created.InvoiceRows).toMatchObject([
      { VAT: 25, VATCode: 'MP1', Total: 299.7 },
      { VAT: 6, VATCode: 'MP3', Total: 91 },
    ]);
  });

  it('rounds Price and DeliveredQuantity to 2 decimals half-up and answers the quantity as a string', async () => {
    const created = await create(invoice({}, [{ AccountNumber: 3001, DeliveredQuantity: 1.125, Price: 1.125 }]));
    expect(created.InvoiceRows).toMatchObject([{ DeliveredQuantity: '1.13', Price: 1.13, Total: 1.28 }]);
  });

  it('computes a row total from the rounded price and quantity: 2.005 × 3.335 is 2.01 × 3.34', async () => {
    const created = await create(invoice({}, [{ AccountNumber: 3001, DeliveredQuantity: 2.005, Price: 3.335, Description: 'Avrundning' }]));
    expect(created.InvoiceRows).toMatchObject([{ DeliveredQuantity: '2.01', Price: 3.34, Total: 6.71 }]);
    expect(created).toMatchObject({ Net: 6.71, TotalVAT: 1.68, Total: 8, RoundOff: -0.39 });
  });

  it('accepts a row with only a description: the predefined sales account and VAT, nothing added to the totals', async () => {
    const created = await create(invoice({}, [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100, Description: 'Visitkort' }, { Description: 'Leveransvecka 12' }]));
    expect(created.InvoiceRows).toMatchObject([
      { Total: 100 },
      { Description: 'Leveransvecka 12', AccountNumber: 3001, VAT: 25, VATCode: 'MP1', DeliveredQuantity: '0', Price: 0, Total: 0 },
    ]);
    expect(created).toMatchObject({ Net: 100, TotalVAT: 25, Total: 125 });
  });

  it('makes a text row without account from AccountNumber 0 or API_BLANK, and refuses one that carries an amount', async () => {
    const created = await create(invoice({}, [{ AccountNumber: 0, Description: 'Text utan konto' }, { AccountNumber: 'API_BLANK', Description: 'Också text' }]));
    expect(created.InvoiceRows).toMatchObject([
      { AccountNumber: 0, VAT: 0, VATCode: '', Total: 0 },
      { AccountNumber: 0, VAT: 0, VATCode: '', Total: 0 },
    ]);
    expect(created).toMatchObject({ Net: 0, Total: 0 });
    const refused = await kit.fortnox.post('/3/invoices', invoice({}, [{ AccountNumber: 0, DeliveredQuantity: 1, Price: 10, Description: 'Belopp utan konto' }]));
    expect(refused.json).toEqual({ ErrorInformation: { error: 1, message: 'Kunde inte hitta konto (rad 1 har ett belopp men konto 0)', code: 2001304 } });
  });

  it('accepts rows with quantity 0 or price 0 as rows of 0 kr', async () => {
    const created = await create(
      invoice({}, [
        { AccountNumber: 3001, DeliveredQuantity: 0, Price: 100, Description: 'Ej levererat' },
        { AccountNumber: 3001, DeliveredQuantity: 3, Price: 0, Description: 'Kostnadsfritt' },
      ]),
    );
    expect(created.InvoiceRows).toMatchObject([
      { DeliveredQuantity: '0', Price: 100, Total: 0 },
      { DeliveredQuantity: '3', Price: 0, Total: 0 },
    ]);
    expect(created).toMatchObject({ Total: 0, Balance: 0 });
  });

  it('takes a row description of 255 characters and refuses 256', async () => {
    expect((await create(invoice({}, [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 1, Description: 'å'.repeat(255) }]))).InvoiceRows).toHaveLength(1);
    const refused = await kit.fortnox.post('/3/invoices', invoice({}, [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 1, Description: 'å'.repeat(256) }]));
    expect(refused.json).toEqual({ ErrorInformation: { error: 1, message: 'Värdet i fältet Description är för långt (högst 255 tecken)', code: 2999102 } });
  });

  it('copies the customer onto the invoice and defaults dates and terms as Fortnox does', async () => {
    const created = await create(invoice({}, []));
    expect(created).toMatchObject({
      CustomerName: 'Åkessons Tryckeri AB',
      Address1: 'Storgatan 12',
      City: 'Göteborg',
      Country: 'Sverige',
      InvoiceDate: '2026-03-15',
      TermsOfPayment: '30',
      DueDate: '2026-04-14',
      OutboundDate: '2026-03-15',
      EmailInformation: { EmailAddressTo: 'faktura@akessons-tryckeri.se', EmailSubject: 'Faktura {no} bifogas' },
    });
    expect(await create({ Invoice: { CustomerNumber: '2', InvoiceDate: '2026-03-01' } })).toMatchObject({ TermsOfPayment: '10', DueDate: '2026-03-11' });
  });

  it('numbers invoices without gaps: a rejected create consumes no number', async () => {
    expect((await create(invoice())).DocumentNumber).toBe('1');
    expect((await kit.fortnox.post('/3/invoices', invoice({}, [{ AccountNumber: 3011, Price: 1 }]))).status).toBe(400);
    expect((await kit.fortnox.post('/3/invoices', invoice({ CustomerNumber: '404' }))).status).toBe(400);
    expect((await create(invoice())).DocumentNumber).toBe('2');
  });

  it('gives each invoice an OCR of its number, a length digit and a Luhn check digit', async () => {
    for (const expected of ['133', '232', '331']) {
      const { OCR } = await create(invoice());
      expect(OCR).toBe(expected);
      expect(hasValidLuhnCheckDigit(OCR as string)).toBe(true);
    }
  });

  it('stores ExternalInvoiceReference1/2 as sent and finds invoices by them as substrings', async () => {
    await create(invoice({ ExternalInvoiceReference1: 'SUMMA-1', ExternalInvoiceReference2: 'Order 2026/17' }));
    await create(invoice({ ExternalInvoiceReference1: 'SUMMA-10' }));
    const found = (await kit.fortnox.get('/3/invoices?externalinvoicereference1=summa-1')).json as { Invoices: Record<string, unknown>[] };
    expect(found.Invoices.map((item) => item.ExternalInvoiceReference1)).toEqual(['SUMMA-1', 'SUMMA-10']);
    expect(found.Invoices[0]).toMatchObject({ ExternalInvoiceReference2: 'Order 2026/17', CurrencyRate: '1', VoucherNumber: null, FinalPayDate: null, Total: 125 });
  });

  describe('refuses what Fortnox refuses', () => {
    it.each([
      ['an unknown customer', invoice({ CustomerNumber: '404' }), 2000433, 'Kan inte hitta kunden.'],
      ['a date outside every financial year', invoice({ InvoiceDate: '2024-12-31' }), 2999110, 'Det finns inget räkenskapsår för datumet 2024-12-31 (InvoiceDate)'],
      ['an account missing from the chart', invoice({}, [{ AccountNumber: 3999, Price: 1 }]), 2001304, 'Kunde inte hitta konto (3999)'],
      ['an inactive account', invoice({}, [{ AccountNumber: 3010, Price: 1 }]), 2999111, 'Konto "3010" är inte aktivt'],
      ['an account that requires a cost centre, without one', invoice({}, [{ AccountNumber: 3041, Price: 1 }]), 2000946, 'Konto 3041 kräver kostnadsställe (rad 1)'],
      ['an unknown cost centre', invoice({}, [{ AccountNumber: 3041, Price: 1, CostCenter: 'NOPE' }]), 2999112, 'Kunde inte hitta kostnadsställe "NOPE"'],
      ['an inactive cost centre', invoice({ CostCenter: 'GAMLA' }), 2000947, 'Kostnadsställe "GAMLA" är inte aktivt'],
      ['an unknown project', invoice({}, [{ AccountNumber: 3001, Price: 1, Project: '99' }]), 2001161, 'Kan inte hitta projektet.'],
      ['a VAT rate the company lacks', invoice({}, [{ AccountNumber: 3001, Price: 1, VAT: 15 }]), 2999113, 'Kunde inte hämta/hitta moms (15 %)'],
      ['a discount over 100 %', invoice({}, [{ AccountNumber: 3001, Price: 1, Discount: 101 }]), 2999114, 'Ogiltig rabatt. Får inte överstiga 100 %'],
      ['an article the company does not have', invoice({}, [{ ArticleNumber: 'A1' }]), 2001302, 'Kunde inte hitta artikel (A1)'],
      ['an unknown unit', invoice({}, [{ AccountNumber: 3001, Unit: 'pall' }]), 2000432, 'Kan inte hitta enheten "pall"'],
    ])('refuses %s with 400', async (_name, body, code, message) => {
      const answer = await kit.fortnox.post('/3/invoices', body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ ErrorInformation: { error: 1, message, code } });
    });

    it('accepts the cost centre on the invoice for an account that requires one', async () => {
      const created = await create(invoice({ CostCenter: 'TRYCK' }, [{ AccountNumber: 3041, DeliveredQuantity: 2, Price: 50 }]));
      expect(created).toMatchObject({ CostCenter: 'TRYCK', Total: 125 });
    });

    it('accepts an inactive account once it is made active, as a user fixes it in Fortnox', async () => {
      expect((await kit.fortnox.post('/3/invoices', invoice({}, [{ AccountNumber: 3010, Price: 1 }]))).status).toBe(400);
      expect((await kit.fortnox.put('/3/accounts/3010', { Account: { Active: true } })).json).toMatchObject({ Account: { Number: 3010, Active: true, Year: 2 } });
      expect((await create(invoice({}, [{ AccountNumber: 3010, DeliveredQuantity: 1, Price: 10 }]))).InvoiceRows).toMatchObject([{ VATCode: 'MP1', VAT: 25 }]);
    });
  });

  it('answers 404 with 2000434 for an unknown invoice', async () => {
    expect((await kit.fortnox.get('/3/invoices/77')).json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta fakturan.', Code: 2000434 } });
    expect((await kit.fortnox.put('/3/invoices/77/bookkeep')).status).toBe(404);
  });

  it('updates an unbooked invoice partially, keeping rows by RowId and recomputing the totals', async () => {
    const created = await create(invoice({ Comments: 'Första' }, [{ AccountNumber: 3001, DeliveredQuantity: 1, Price: 100 }, { AccountNumber: 3003, DeliveredQuantity: 1, Price: 50 }]));
    const [first] = created.InvoiceRows as { RowId: number }[];
    const answer = await kit.fortnox.put(`/3/invoices/${String(created.DocumentNumber)}`, {
      Invoice: { Comments: '', YourReference: 'Märta', InvoiceRows: [{ RowId: first?.RowId, DeliveredQuantity: 2 }] },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ Invoice: { Comments: 'Första', YourReference: 'Märta', Net: 200, TotalVAT: 50, Total: 250 } });
    const rows = (answer.json as { Invoice: { InvoiceRows: { RowId: number; Price: number }[] } }).Invoice.InvoiceRows;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.Price).toBe(100);
    expect(rows[0]?.RowId).not.toBe(first?.RowId);
  });

  it('bookkeeps an invoice with a voucher and then refuses to change or cancel it', async () => {
    const DocumentNumber = String((await create(invoice())).DocumentNumber);
    const booked = await kit.fortnox.put(`/3/invoices/${DocumentNumber}/bookkeep`);
    expect(booked.status).toBe(200);
    expect(booked.json).toMatchObject({ Invoice: { Booked: true, VoucherNumber: 1, VoucherSeries: 'B', VoucherYear: 2 } });
    const update = await kit.fortnox.put(`/3/invoices/${DocumentNumber}`, { Invoice: { Comments: 'x' } });
    expect(update.json).toEqual({ ErrorInformation: { error: 1, message: 'Faktura 1 är bokförd och kan inte ändras', code: 2999120 } });
    expect(errorOf(await kit.fortnox.put(`/3/invoices/${DocumentNumber}/cancel`)).message).toBe('Faktura 1 är bokförd och kan inte makuleras');
    expect(errorOf(await kit.fortnox.put(`/3/invoices/${DocumentNumber}/bookkeep`)).message).toBe('Faktura 1 är redan bokförd');
    expect((await kit.fortnox.get('/3/invoices?filter=unbooked')).json).toMatchObject({ Invoices: [] });
  });

  it('cancels an unbooked invoice', async () => {
    const DocumentNumber = String((await create(invoice())).DocumentNumber);
    expect((await kit.fortnox.put(`/3/invoices/${DocumentNumber}/cancel`)).json).toMatchObject({ Invoice: { Cancelled: true } });
    expect((await kit.fortnox.get('/3/invoices?filter=cancelled')).json).toMatchObject({ Invoices: [{ DocumentNumber }] });
    expect(errorOf(await kit.fortnox.put(`/3/invoices/${DocumentNumber}/bookkeep`)).code).toBe(2999121);
  });

  it('credits an invoice: a new negated invoice references the original, and the call answers the original', async () => {
    const original = await create(invoice({ ExternalInvoiceReference1: 'SUMMA-5' }, [{ AccountNumber: 3001, DeliveredQuantity: 2, Price: 40.5 }]));
    await kit.fortnox.put(`/3/invoices/${String(original.DocumentNumber)}/bookkeep`);
    const answer = await kit.fortnox.put(`/3/invoices/${String(original.DocumentNumber)}/credit`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ Invoice: { DocumentNumber: '1', CreditInvoiceReference: '2', Credit: 'false', Total: 101 } });
    const credit = (await kit.fortnox.get('/3/invoices/2')).json as { Invoice: Record<string, unknown> };
    expect(credit.Invoice).toMatchObject({
      Credit: 'true',
      CreditInvoiceReference: '1',
      Booked: false,
      Net: -81,
      TotalVAT: -20.25,
      Total: -101,
      RoundOff: 0.25, // -101.25 rounds to -101: the mirror of the original's -0.25
      InvoiceRows: [{ DeliveredQuantity: '-2', Price: 40.5, Total: -81 }],
    });
    expect(errorOf(await kit.fortnox.put('/3/invoices/1/credit'))).toEqual({ error: 1, message: 'Faktura 1 är redan krediterad (kreditfaktura 2)', code: 2999122 });
    expect(errorOf(await kit.fortnox.put('/3/invoices/2/credit')).code).toBe(2999123);
  });

  it('lists invoices between dates and refuses a malformed date', async () => {
    await create(invoice({ InvoiceDate: '2025-12-30' }));
    await create(invoice({ InvoiceDate: '2026-01-02' }));
    expect((await kit.fortnox.get('/3/invoices?fromdate=2026-01-01&todate=2026-12-31')).json).toMatchObject({ Invoices: [{ InvoiceDate: '2026-01-02' }] });
    expect(errorOf(await kit.fortnox.get('/3/invoices?fromdate=2026-13-01')).code).toBe(2000588);
    expect((await kit.fortnox.get('/3/invoices?sortby=invoicedate&sortorder=descending')).json).toMatchObject({ Invoices: [{ DocumentNumber: '2' }, { DocumentNumber: '1' }] });
  });

  it('books the voucher in the financial year of the invoice date', async () => {
    const DocumentNumber = String((await create(invoice({ InvoiceDate: '2025-06-01' }))).DocumentNumber);
    expect((await kit.fortnox.put(`/3/invoices/${DocumentNumber}/bookkeep`)).json).toMatchObject({ Invoice: { VoucherYear: 1, VoucherNumber: 1 } });
  });
});

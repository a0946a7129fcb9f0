import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSummaInvoice, type SummaInvoice, type SummaInvoiceInput } from '../../src/summa/invoice-contract.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

/*
 * Invoices as Swedish print shops send them, through the real pipeline into the sandbox. Every expected figure is
 * worked out by hand here (VAT per rate on the rate's summed rows, rounded to the öre; öresavrundning of SEK totals
 * to whole kronor), not taken from the code under test.
 */

const today = new Date().toISOString().slice(0, 10);
const year = today.slice(0, 4);
const period = `räkenskapsåret ${year}-01-01–${year}-12-31`;
const plusDays = (days: number) => {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

type Row = SummaInvoiceInput['rows'][number];
const row = (quantity: number, unitPrice: number, vatPercent: 25 | 12 | 6 | 0, account: number, extra: Partial<Row> = {}): Row => ({
  description: `Trycksak ${account}`,
  quantity,
  unitPrice,
  vatPercent,
  account,
  ...extra,
});
let customers = 0;
/** A company customer with a number of its own, so cases never share (or collide on) a Fortnox customer. */
const company = (extra: Partial<SummaInvoiceInput['customer']> = {}): SummaInvoiceInput['customer'] => ({
  customerNumber: `SE-${process.pid}-${(customers += 1)}`,
  name: 'Tryckeri Ängeln AB',
  type: 'COMPANY',
  ...extra,
});

interface Transferred {
  net: number;
  vat: number;
  total: number;
  roundOff?: number;
  currency?: string;
  currencyRate?: number;
  currencyUnit?: number;
  /** The total in SEK as Fortnox books it (Total × CurrencyRate / CurrencyUnit), to be Summa's total × Summa's rate. */
  sekTotal?: number;
  termsOfPayment?: string;
  dueDate?: string;
  remarksContain?: string;
  credit?: boolean;
  /** Other fields as Fortnox holds them. */
  fields?: Record<string, unknown>;
  /** Rows as Fortnox holds them: account, VAT, row total. */
  rows?: { AccountNumber: number; VAT: number; Total: number }[];
}

interface Case {
  name: string;
  /** Invoices transferred first, which this one refers to (credit, a-conto). */
  before?: (ids: string[]) => Partial<SummaInvoiceInput>[];
  invoice: (ids: string[]) => Partial<SummaInvoiceInput>;
  expect: { transferred: Transferred } | { needsAttention: string | ((ids: string[], numbers: string[]) => string) };
}

const cases: Case[] = [
  {
    name: 'brochures at 25 % and books at 6 % on one invoice',
    invoice: () => ({ rows: [row(1000, 2.5, 25, 3001), row(20, 150, 6, 3003)] }),
    expect: {
      transferred: { net: 5500, vat: 805, total: 6305, roundOff: 0, rows: [{ AccountNumber: 3001, VAT: 25, Total: 2500 }, { AccountNumber: 3003, VAT: 6, Total: 3000 }] },
    },
  },
  { name: 'one row at 25 %, rounded up to whole kronor', invoice: () => ({ rows: [row(3, 333.33, 25, 3001)] }), expect: { transferred: { net: 999.99, vat: 250, total: 1250, roundOff: 0.01 } } },
  { name: 'food at 12 %', invoice: () => ({ rows: [row(10, 45.5, 12, 3002)] }), expect: { transferred: { net: 455, vat: 54.6, total: 510, roundOff: 0.4 } } },
  { name: 'books at 6 %', invoice: () => ({ rows: [row(7, 149, 6, 3003)] }), expect: { transferred: { net: 1043, vat: 62.58, total: 1106, roundOff: 0.42 } } },
  { name: 'VAT-exempt sale at 0 %', invoice: () => ({ rows: [row(1, 1200, 0, 3004)] }), expect: { transferred: { net: 1200, vat: 0, total: 1200, roundOff: 0 } } },
  {
    name: 'a 10 % discount on a row',
    invoice: () => ({ rows: [row(100, 12, 25, 3001, { discountPercent: 10 })] }),
    expect: { transferred: { net: 1080, vat: 270, total: 1350, rows: [{ AccountNumber: 3001, VAT: 25, Total: 1080 }] } },
  },
  { name: 'öresavrundning down', invoice: () => ({ rows: [row(1, 100.2, 25, 3001)] }), expect: { transferred: { net: 100.2, vat: 25.05, total: 125, roundOff: -0.25 } } },
  { name: 'öresavrundning up', invoice: () => ({ rows: [row(1, 100.48, 25, 3001)] }), expect: { transferred: { net: 100.48, vat: 25.12, total: 126, roundOff: 0.4 } } },
  { name: 'a fractional quantity', invoice: () => ({ rows: [row(1.5, 99.98, 25, 3001)] }), expect: { transferred: { net: 149.97, vat: 37.49, total: 187, roundOff: -0.46 } } },
  {
    name: 'forty rows of mixed rates',
    invoice: () => ({ rows: Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? row(10, 10, 25, 3001) : row(5, 20, 6, 3003))) }),
    expect: { transferred: { net: 4000, vat: 620, total: 4620, roundOff: 0 } },
  },
  {
    name: 'the longest texts Fortnox takes',
    invoice: () => ({
      remarks: 'Å'.repeat(1024),
      yourReference: 'Ö'.repeat(50),
      rows: [row(1, 100, 25, 3001, { description: `Broschyr ${'ä'.repeat(246)}` })],
    }),
    expect: { transferred: { net: 100, vat: 25, total: 125 } },
  },
  {
    name: 'Swedish characters in every text field',
    invoice: () => ({
      yourReference: 'Åsa Öberg',
      ourReference: 'Jörgen Mårtensson',
      yourOrderNumber: 'BESTÄLLNING-ÅÄÖ-1',
      remarks: 'Tack för beställningen! Leverans till Östhammar.',
      customer: company({ name: 'Skärgårdsförlaget i Östhammar AB', address1: 'Köpmangatan 7', city: 'Östhammar', zipCode: '742 31' }),
      deliveryAddress: { name: 'Förlagets lager', address1: 'Industrivägen 14', zipCode: '742 34', city: 'Östhammar' },
      rows: [row(5, 100, 6, 3003, { description: 'Årsbok: Fåglar i skärgården, ÅÄÖ åäö é ü' })],
    }),
    expect: { transferred: { net: 500, vat: 30, total: 530, remarksContain: 'Leverans till Östhammar' } },
  },
  {
    name: 'a delivery date before the invoice date and a delivery abroad',
    invoice: () => ({
      deliveryDate: plusDays(-3),
      deliveryAddress: { name: 'Förlagets lager', address1: 'Storgata 1', zipCode: '0155', city: 'Oslo', countryCode: 'NO' },
      rows: [row(1, 100, 25, 3001)],
    }),
    expect: { transferred: { net: 100, vat: 25, total: 125, fields: { DeliveryDate: plusDays(-3), DeliveryCountry: 'Norge', DeliveryCity: 'Oslo' } } },
  },
  {
    name: 'domestic reverse charge (construction) at 0 % with the text the law requires',
    invoice: () => ({ customer: company({ vatType: 'SEREVERSEDVAT', vatNumber: 'SE556123456701' }), rows: [row(8, 650, 0, 3231)] }),
    expect: { transferred: { net: 5200, vat: 0, total: 5200, remarksContain: 'Omvänd betalningsskyldighet för byggtjänster. Köparens momsregistreringsnummer: SE556123456701.' } },
  },
  {
    name: 'domestic reverse charge on scrap metal, with its own ground',
    invoice: () => ({ reverseChargeGround: 'scrapMetal', customer: company({ vatType: 'SEREVERSEDVAT', vatNumber: 'SE556123456701' }), rows: [row(100, 12, 0, 3231)] }),
    expect: { transferred: { net: 1200, vat: 0, total: 1200, remarksContain: 'Omvänd betalningsskyldighet för metallskrot och metallavfall. Köparens momsregistreringsnummer: SE556123456701.' } },
  },
  {
    name: 'EU sale of goods (the default): an exempt intra-Community supply, art. 138, with the buyer’s VAT number',
    invoice: () => ({ customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789', countryCode: 'DE' }), rows: [row(2, 1500, 0, 3108)] }),
    expect: {
      transferred: {
        net: 3000,
        vat: 0,
        total: 3000,
        remarksContain:
          'Unionsintern leverans av varor, undantagen från moms / Exempt intra-Community supply of goods (art. 138, 2006/112/EG). Köparens momsregistreringsnummer: DE123456789.',
      },
    },
  },
  {
    name: 'EU sale of services: the buyer’s reverse charge, art. 196',
    invoice: () => ({ supplyType: 'services', customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'FI12345678', countryCode: 'FI' }), rows: [row(1, 4000, 0, 3308)] }),
    expect: { transferred: { net: 4000, vat: 0, total: 4000, remarksContain: 'Omvänd betalningsskyldighet / Reverse charge (art. 196, 2006/112/EG). Köparens momsregistreringsnummer: FI12345678.' } },
  },
  {
    name: 'long remarks on an EU invoice: the legal text complete after them',
    invoice: () => ({ remarks: 'R'.repeat(1024 - 1 - 165), customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789', countryCode: 'DE' }), rows: [row(1, 100, 0, 3108)] }),
    expect: { transferred: { net: 100, vat: 0, total: 100, remarksContain: `${'R'.repeat(858)}\nUnionsintern leverans av varor, undantagen från moms / Exempt intra-Community supply of goods (art. 138, 2006/112/EG). Köparens momsregistreringsnummer: DE123456789.` } },
  },
  {
    name: 'EU private buyer at Swedish VAT',
    invoice: () => ({ customer: { name: 'Matti Virtanen', type: 'PRIVATE', vatType: 'EUVAT', countryCode: 'FI' }, rows: [row(1, 800, 25, 3106)] }),
    expect: { transferred: { net: 800, vat: 200, total: 1000 } },
  },
  {
    name: 'export of goods outside the EU',
    invoice: () => ({ customer: company({ vatType: 'EXPORT', countryCode: 'NO' }), rows: [row(5, 120, 0, 3105)] }),
    expect: { transferred: { net: 600, vat: 0, total: 600, remarksContain: 'Momsfri export utanför EU' } },
  },
  {
    name: 'export of services outside the EU',
    invoice: () => ({ customer: company({ vatType: 'EXPORT', countryCode: 'US' }), rows: [row(1, 2500, 0, 3305)] }),
    expect: { transferred: { net: 2500, vat: 0, total: 2500 } },
  },
  {
    name: 'euros at Summa’s rate (register unit 1), with no rounding to whole units',
    invoice: () => ({ currency: 'EUR', currencyRate: 11.5, rows: [row(10, 12.34, 25, 3001)] }),
    // 154.25 EUR × 11.5 SEK per euro.
    expect: { transferred: { net: 123.4, vat: 30.85, total: 154.25, roundOff: 0, currency: 'EUR', currencyRate: 11.5, currencyUnit: 1, sekTotal: 1773.875 } },
  },
  {
    name: 'US dollars at Fortnox’s own rate for the currency',
    invoice: () => ({ currency: 'USD', rows: [row(4, 25.25, 25, 3001)] }),
    // The register's 9.64 SEK per dollar.
    expect: { transferred: { net: 101, vat: 25.25, total: 126.25, roundOff: 0, currency: 'USD', currencyRate: 9.64, currencyUnit: 1, sekTotal: 1217.05 } },
  },
  {
    name: 'Norwegian kroner at Summa’s rate per one crown, in a register that quotes them per 100',
    invoice: () => ({ currency: 'NOK', currencyRate: 0.98, rows: [row(1, 1000, 25, 3001)] }),
    // 1250 NOK × 0.98 SEK per crown = 1225 SEK; Fortnox holds it as 98 SEK per 100 crowns.
    expect: { transferred: { net: 1000, vat: 250, total: 1250, currency: 'NOK', currencyRate: 98, currencyUnit: 100, sekTotal: 1225 } },
  },
  {
    name: 'Norwegian kroner at Fortnox’s own rate per 100 crowns',
    invoice: () => ({ currency: 'NOK', rows: [row(1, 1000, 25, 3001)] }),
    // The register's 94.85 SEK per 100 crowns, rate and unit together: 1250 × 0.9485.
    expect: { transferred: { net: 1000, vat: 250, total: 1250, currency: 'NOK', currencyRate: 94.85, currencyUnit: 100, sekTotal: 1185.625 } },
  },
  {
    name: 'a currency the Fortnox company has not set up',
    invoice: () => ({ currency: 'DKK', rows: [row(1, 100, 25, 3001)] }),
    expect: {
      needsAttention:
        'Valutan DKK är inte upplagd i Fortnox — lägg upp den i Fortnox (Inställningar, Bokföring, Valutor) eller fakturera i en annan valuta i Summa, och tryck Försök igen.',
    },
  },
  {
    name: 'terms of payment Fortnox already has',
    invoice: () => ({ termsOfPaymentDays: 30, rows: [row(1, 100, 25, 3001)] }),
    expect: { transferred: { net: 100, vat: 25, total: 125, termsOfPayment: '30', dueDate: plusDays(30) } },
  },
  {
    name: 'terms of payment created when missing',
    invoice: () => ({ termsOfPaymentDays: 45, rows: [row(1, 100, 25, 3001)] }),
    expect: { transferred: { net: 100, vat: 25, total: 125, termsOfPayment: '45', dueDate: plusDays(45) } },
  },
  {
    name: 'Summa’s totals matching to the öre and within öresavrundning',
    invoice: () => ({ rows: [row(3, 333.33, 25, 3001)], totals: { net: 999.99, vat: 250, total: 1249.99 } }),
    expect: { transferred: { net: 999.99, vat: 250, total: 1250 } },
  },
  {
    name: 'a full credit of an invoice transferred earlier',
    before: () => [{ rows: [row(1000, 2.5, 25, 3001), row(20, 150, 6, 3003)] }],
    invoice: ([original]) => ({ credit: { originalInvoiceId: original ?? '', full: true }, rows: [] }),
    expect: { transferred: { net: -5500, vat: -805, total: -6305, credit: true } },
  },
  {
    name: 'a partial credit with a negative row',
    before: () => [{ rows: [row(1000, 2.5, 25, 3001), row(20, 150, 6, 3003)] }],
    invoice: ([original]) => ({ credit: { originalInvoiceId: original ?? '', full: false }, rows: [row(-100, 2.49, 25, 3001, { description: 'Kreditering: 100 broschyrer' })] }),
    expect: { transferred: { net: -249, vat: -62.25, total: -311, credit: true } },
  },
  {
    name: 'a final invoice deducting an a-conto invoice',
    before: () => [{ rows: [row(1, 10000, 25, 2420, { description: 'A-conto 1, katalogprojektet' })] }],
    invoice: ([aconto]) => ({ rows: [row(1, 30000, 25, 3001)], acontoDeductions: [{ invoiceId: aconto ?? '', amount: 10000, vatPercent: 25 }] }),
    expect: { transferred: { net: 20000, vat: 5000, total: 25000, rows: [{ AccountNumber: 3001, VAT: 25, Total: 30000 }, { AccountNumber: 2420, VAT: 25, Total: -10000 }] } },
  },
  {
    name: 'crediting an invoice that was never transferred',
    invoice: () => ({ credit: { originalInvoiceId: 'NEVER-SENT-1', full: true }, rows: [] }),
    expect: {
      needsAttention: (ids) =>
        `Summa-faktura NEVER-SENT-1, som ${ids.at(-1) ?? ''} krediterar, har aldrig överförts till Fortnox — överför originalet först, eller kreditera direkt i Fortnox och avbryt överföringen.`,
    },
  },
  {
    name: 'an a-conto deduction larger than the a-conto invoice',
    before: () => [{ rows: [row(1, 10000, 25, 2420)] }],
    invoice: ([aconto]) => ({ rows: [row(1, 30000, 25, 3001)], acontoDeductions: [{ invoiceId: aconto ?? '', amount: 15000, vatPercent: 25 }] }),
    expect: {
      needsAttention: ([aconto], [number]) =>
        `Avdraget för a-contofaktura ${aconto ?? ''} (15000.00) är större än a-contofakturans nettobelopp i Fortnox (nr ${number ?? ''}, 10000.00) — rätta avdraget i Summa och tryck Försök igen.`,
    },
  },
  {
    name: 'an a-conto deduction of an invoice never transferred',
    invoice: () => ({ rows: [row(1, 30000, 25, 3001)], acontoDeductions: [{ invoiceId: 'NO-ACONTO-1', amount: 5000, vatPercent: 25 }] }),
    expect: { needsAttention: 'A-contofaktura NO-ACONTO-1 finns inte i Fortnox — överför den först (eller ta bort avdraget i Summa) och tryck Försök igen.' },
  },
  {
    name: 'a row whose VAT does not fit its account',
    invoice: () => ({ rows: [row(1, 100, 6, 3001), row(1, 100, 25, 3003)] }),
    expect: {
      needsAttention:
        'Momssatsen 6 % passar inte konto 3001, som har momskod MP1 (25 %) i Fortnox (rad 1) — byt konto eller momssats i Summa; momssatsen 25 % passar inte konto 3003, som har momskod MP3 (6 %) i Fortnox (rad 2) — byt konto eller momssats i Summa. Tryck sedan Försök igen.',
    },
  },
  {
    name: 'a 0 % EU row on a domestic VAT-free account',
    invoice: () => ({ customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789', countryCode: 'DE' }), rows: [row(1, 100, 0, 3108), row(1, 100, 0, 3004)] }),
    expect: {
      needsAttention:
        'Konto 3004 har momskod MF (momsfri försäljning inom Sverige) i Fortnox, men kundens momstyp EUREVERSEDVAT kräver ett konto med momskod VTEU (varor till annat EU-land) för 0 % moms (rad 2) — byt konto i Summa, eller ange i Summa att fakturan gäller tjänster (supplyType services; utan den räknas den som varor). Tryck sedan Försök igen.',
    },
  },
  {
    name: 'EU services on the account for EU goods',
    invoice: () => ({ supplyType: 'services', customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789', countryCode: 'DE' }), rows: [row(1, 100, 0, 3108)] }),
    expect: {
      needsAttention:
        'Konto 3108 har momskod VTEU (varor till annat EU-land) i Fortnox, men kundens momstyp EUREVERSEDVAT kräver ett konto med momskod FTEU (tjänster till annat EU-land) för 0 % moms (rad 1) — byt konto i Summa. Tryck sedan Försök igen.',
    },
  },
  {
    name: 'a domestic 0 % row on the EU goods account',
    invoice: () => ({ rows: [row(1, 100, 0, 3108)] }),
    expect: {
      needsAttention:
        'Konto 3108 har momskod VTEU (varor till annat EU-land) i Fortnox, men kundens momstyp SEVAT kräver ett konto med momskod MF (momsfri försäljning inom Sverige) för 0 % moms (rad 1) — byt konto i Summa. Tryck sedan Försök igen.',
    },
  },
  {
    name: 'an inactive account',
    invoice: () => ({ rows: [row(1, 100, 25, 3010)] }),
    expect: { needsAttention: `Konto 3010 är inaktivt i Fortnox ${period} (rad 1) — aktivera kontot. Tryck sedan Försök igen.` },
  },
  {
    name: 'Summa’s totals differing from Fortnox’s',
    invoice: () => ({ rows: [row(1, 399, 25, 3001)], totals: { net: 400, vat: 100, total: 500 } }),
    expect: {
      needsAttention: (_, numbers) =>
        `Beloppen i Fortnox faktura ${numbers.at(-1) ?? ''} skiljer sig från Summas (Fortnox mot Summa: netto 399,00 mot 400,00, moms 99,75 mot 100,00, totalt 499,00 mot 500,00). Fakturan är skapad i Fortnox men inte bokförd: rätta den i Fortnox och tryck Försök igen, eller makulera den i Fortnox och avbryt överföringen.`,
    },
  },
];

describe('Swedish print-shop invoices through the real pipeline', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const fortnoxInvoice = async (summaId: string) =>
    (await pipeline.fortnoxControl.state('1')).invoices.filter((invoice) => invoice.ExternalInvoiceReference1 === summaId && invoice.Credit !== 'true' && invoice.Credit !== true);

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', async (testCase) => {
    const ids: string[] = [];
    const numbers: string[] = [];
    for (const overrides of testCase.before?.(ids) ?? []) {
      const earlier = anInvoice({ project: undefined, costCentre: undefined, ...overrides });
      await pipeline.service.transfer(earlier);
      numbers.push((await pipeline.transferred('demo', earlier.invoiceId)).fortnoxInvoiceNumber);
      ids.push(earlier.invoiceId);
    }
    const invoice: SummaInvoice = anInvoice({ project: undefined, costCentre: undefined, termsOfPaymentDays: undefined, ...testCase.invoice(ids) });
    ids.push(invoice.invoiceId);
    await pipeline.service.transfer(invoice);

    if ('needsAttention' in testCase.expect) {
      let view = await pipeline.service.status('demo', invoice.invoiceId);
      const deadline = Date.now() + 30_000;
      while (view?.status !== 'NeedsAttention' && view?.status !== 'Transferred' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        view = await pipeline.service.status('demo', invoice.invoiceId);
        if (view?.fortnoxInvoiceNumber !== undefined && !numbers.includes(view.fortnoxInvoiceNumber)) numbers.push(view.fortnoxInvoiceNumber);
      }
      const expected = testCase.expect.needsAttention;
      expect(view?.status).toBe('NeedsAttention');
      expect(view?.message).toBe(typeof expected === 'string' ? expected : expected(ids, numbers));
      await pipeline.service.cancel('demo', invoice.invoiceId, 'testfall klart');
      return;
    }

    const outcome = await pipeline.transferred('demo', invoice.invoiceId);
    const expected = testCase.expect.transferred;
    const state = await pipeline.fortnoxControl.state('1');
    const created = state.invoices.find((item) => item.DocumentNumber === outcome.fortnoxInvoiceNumber);
    expect(created, 'the invoice written back is in Fortnox').toBeDefined();
    if (expected.credit !== true) expect(await fortnoxInvoice(invoice.invoiceId)).toHaveLength(1);
    expect(Number(created?.Net)).toBeCloseTo(expected.net, 2);
    expect(Number(created?.TotalVAT)).toBeCloseTo(expected.vat, 2);
    expect(Number(created?.Total)).toBeCloseTo(expected.total, 2);
    if (expected.roundOff !== undefined) expect(Number(created?.RoundOff)).toBeCloseTo(expected.roundOff, 2);
    if (expected.currency !== undefined) expect(created?.Currency).toBe(expected.currency);
    if (expected.currencyRate !== undefined) expect(Number(created?.CurrencyRate)).toBeCloseTo(expected.currencyRate, 4);
    if (expected.currencyUnit !== undefined) expect(Number(created?.CurrencyUnit)).toBe(expected.currencyUnit);
    if (expected.sekTotal !== undefined) expect((Number(created?.Total) * Number(created?.CurrencyRate)) / Number(created?.CurrencyUnit)).toBeCloseTo(expected.sekTotal, 2);
    if (expected.termsOfPayment !== undefined) expect(created?.TermsOfPayment).toBe(expected.termsOfPayment);
    if (expected.dueDate !== undefined) expect(created?.DueDate).toBe(expected.dueDate);
    if (expected.remarksContain !== undefined) expect(String(created?.Remarks)).toContain(expected.remarksContain);
    if (expected.credit === true) expect(String(created?.Credit)).toBe('true');
    if (expected.fields !== undefined) expect(created).toMatchObject(expected.fields);
    if (expected.rows !== undefined) {
      const rows = (created?.InvoiceRows as Record<string, unknown>[]).map((item) => ({ AccountNumber: Number(item.AccountNumber), VAT: Number(item.VAT), Total: Number(item.Total) }));
      expect(rows).toEqual(expected.rows);
    }
    const summa = (await (await fetch(`${pipeline.summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string; fortnoxInvoiceNumber?: string }> };
    expect(summa.invoices[`demo/${invoice.invoiceId}`]).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber });
  });

  it.each([
    ['EU reverse charge without the buyer’s VAT number', { customer: company({ vatType: 'EUREVERSEDVAT' }) }, 'customer.vatNumber'],
    ['EU reverse charge with a Swedish VAT number', { customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'SE556123456701' }) }, 'customer.vatNumber'],
    ['reverse charge with a row at 25 %', { customer: company({ vatType: 'SEREVERSEDVAT', vatNumber: 'SE556123456701' }), rows: [row(1, 1, 25, 3231)] }, 'rows.0.vatPercent'],
    ['export with a row at 6 %', { customer: company({ vatType: 'EXPORT' }), rows: [row(1, 1, 6, 3105)] }, 'rows.0.vatPercent'],
    ['a partial credit with positive rows', { credit: { originalInvoiceId: 'X-1', full: false }, rows: [row(1, 100, 25, 3001)] }, 'rows'],
    ['a full credit with rows', { credit: { originalInvoiceId: 'X-1', full: true }, rows: [row(-1, 100, 25, 3001)] }, 'rows'],
    ['a price with three decimals', { rows: [row(1, 1.005, 25, 3001)] }, 'rows.0.unitPrice'],
    ['a reverse-charge ground for a customer without reverse charge', { reverseChargeGround: 'gold' }, 'reverseChargeGround'],
    ['a quantity with three decimals', { rows: [row(1.125, 1, 25, 3001)] }, 'rows.0.quantity'],
    [
      'remarks leaving no room for the legal text',
      { remarks: 'R'.repeat(859), customer: company({ vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789', countryCode: 'DE' }), rows: [row(1, 1, 0, 3108)] },
      'remarks',
    ],
  ] as const)('refuses at the edge: %s', (_, overrides, path) => {
    const base = { schemaVersion: 1, tenant: 'demo', invoiceId: 'E-1', orderNumber: 'O-1', invoiceDate: today, customer: company(), rows: [row(1, 100, 25, 3001)] };
    const result = parseSummaInvoice({ ...base, ...overrides });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => problem.path)).toContain(path);
  });
});

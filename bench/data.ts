// The benchmark's invoices: a print shop's month end. 60 customers, 8 sales accounts, 4 cost centres, 20 projects,
// one to four rows each at mixed VAT rates, Summa's totals, and terms of payment as Summa sends them.
import { summaInvoiceSchema, type SummaInvoice } from '../src/summa/invoice-contract.js';

/**
 * Active accounts of the sandbox seed (src/sandbox/fortnox/seed.ts) with the rate their VAT code implies. 3041 and
 * 3051 require a cost centre, which every invoice here has.
 */
export const ACCOUNTS = [
  { account: 3001, vatPercent: 25, description: 'Broschyrer A4, 4+4', unit: 'ex' },
  { account: 3002, vatPercent: 12, description: 'Konferenslunch', unit: 'st' },
  { account: 3003, vatPercent: 6, description: 'Böcker, inbundna', unit: 'ex' },
  { account: 3004, vatPercent: 0, description: 'Vidarefakturerad porto', unit: 'st' },
  { account: 3041, vatPercent: 25, description: 'Layout och original', unit: 'tim' },
  { account: 3051, vatPercent: 25, description: 'Affischer 50×70', unit: 'ex' },
  { account: 3520, vatPercent: 25, description: 'Frakt', unit: 'st' },
  { account: 3540, vatPercent: 25, description: 'Faktureringsavgift', unit: 'st' },
] as const;

export interface MonthEndShape {
  customers: number;
  projects: number;
  costCentres: number;
}

export const MONTH_END: MonthEndShape = { customers: 60, projects: 20, costCentres: 4 };

const cents = (value: number) => Math.round(value * 100) / 100;

/** Today in Sweden (YYYY-MM-DD), the date the sandbox seeds its current financial year from. */
export const swedishToday = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

/**
 * `count` invoices of `tenant`, ids `<prefix>-<n>`. Customer and project numbers carry the prefix, so every call of
 * this makes new ones; cost-centre codes (at most 6 characters in Fortnox) are CC0…CC3 for every prefix.
 */
export function monthEnd(tenant: string, prefix: string, count: number, shape: MonthEndShape = MONTH_END): SummaInvoice[] {
  const invoiceDate = swedishToday();
  return Array.from({ length: count }, (_, index) => {
    const customer = index % shape.customers;
    const project = index % shape.projects;
    const centre = index % shape.costCentres;
    // One to four rows, walking the eight accounts so every invoice mixes rates differently; integer prices keep
    // 25, 12 and 6 % VAT exact to the öre, so Summa's totals and Fortnox's agree without rounding arguments.
    const rows = Array.from({ length: 1 + (index % 4) }, (_, row) => {
      const { account, vatPercent, description, unit } = ACCOUNTS[(index + row * 3) % ACCOUNTS.length]!;
      return {
        description,
        quantity: 1 + ((index + row) % 9) * (account === 3001 ? 100 : 1),
        unit,
        unitPrice: 20 + ((index * 7 + row * 13) % 180),
        vatPercent,
        account,
        // Now and then a row booked on another department than the invoice's.
        ...(row === 2 ? { costCentre: `CC${(centre + 1) % shape.costCentres}` } : {}),
      };
    });
    const net = cents(rows.reduce((sum, row) => sum + row.quantity * row.unitPrice, 0));
    const vat = cents(rows.reduce((sum, row) => sum + (row.quantity * row.unitPrice * row.vatPercent) / 100, 0));
    return summaInvoiceSchema.parse({
      schemaVersion: 1,
      tenant,
      invoiceId: `${prefix}-${index + 1}`,
      orderNumber: `O-${prefix}-${index + 1}`,
      invoiceDate,
      termsOfPaymentDays: index % 5 === 0 ? 10 : 30,
      yourReference: 'Åsa Öberg',
      customer: {
        customerNumber: `${prefix}-K${customer}`,
        name: `Kund ${customer} AB`,
        organisationNumber: `556${String(customer).padStart(3, '0')}-${1000 + customer}`,
        type: 'COMPANY',
        city: 'Umeå',
        countryCode: 'SE',
      },
      costCentre: { code: `CC${centre}`, description: `Avdelning ${centre}` },
      project: { number: `${prefix}-P${project}`, description: `Projekt ${project}` },
      rows,
      totals: { net, vat, total: cents(net + vat) },
    });
  });
}

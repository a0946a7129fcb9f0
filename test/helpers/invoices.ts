import { summaInvoiceSchema, type SummaInvoice, type SummaInvoiceInput } from '../../src/summa/invoice-contract.js';

let counter = 0;

/** A valid print-shop invoice for tenant `demo`, with a unique invoice id; `overrides` replace top-level fields. */
export function anInvoice(overrides: Partial<SummaInvoiceInput> = {}): SummaInvoice {
  counter += 1;
  const id = `${Date.now().toString(36)}-${process.pid}-${counter}`;
  return summaInvoiceSchema.parse({
    schemaVersion: 1,
    tenant: 'demo',
    invoiceId: `T-${id}`,
    orderNumber: `O-${id}`,
    invoiceDate: new Date().toISOString().slice(0, 10),
    termsOfPaymentDays: 30,
    yourReference: 'Åsa Öberg',
    customer: { customerNumber: `K-${id}`, name: 'Tryckeri Ängeln AB', organisationNumber: '556123-4567', type: 'COMPANY', city: 'Umeå', countryCode: 'SE' },
    costCentre: { code: 'TRYCK', description: 'Tryckeriet' },
    project: { number: `P-${counter}`, description: 'Vårkatalog' },
    rows: [
      { description: 'Broschyr A4, 4+4, 1000 ex', quantity: 1000, unitPrice: 2.5, vatPercent: 25, account: 3001 },
      { description: 'Bok: Årsberättelse', quantity: 20, unitPrice: 150, vatPercent: 6, account: 3003 },
    ],
    ...overrides,
  });
}

// The fewest Fortnox calls a transfer of these invoices needs into a company that has none of their customers,
// projects or cost centres yet — the floor any design is measured against.
import { costCentresOf } from '../src/transfer/index.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';

/** Fortnox's largest page (the chart of accounts is read in pages of this many). */
const PAGE = 500;

export const MINIMUM_FORMULA =
  'invoices (1 create each) + distinct customers (1 write each) + distinct projects (1 write each) + distinct cost centres (1 create each) ' +
  '+ distinct terms-of-payment codes (1 read each) + per financial year (1 financial-year read + ceil(accounts / 500) chart-of-accounts pages)';

export interface MinimumCalls {
  formula: string;
  invoices: number;
  customers: number;
  projects: number;
  costCentres: number;
  termsOfPayment: number;
  financialYears: number;
  chartOfAccountsReads: number;
  total: number;
}

/**
 * Counted per tenant and summed: each Fortnox company is its own. Reads a transfer can do without are not counted:
 * Summa owns customers and projects, so each is written once (a PUT by number, or a create); the create answer
 * carries Fortnox's totals, so checking them needs no extra read.
 */
export function minimumCalls(invoices: readonly SummaInvoice[], chartSize: number): MinimumCalls {
  const byTenant = new Map<string, SummaInvoice[]>();
  for (const invoice of invoices) byTenant.set(invoice.tenant, [...(byTenant.get(invoice.tenant) ?? []), invoice]);
  const sum = { invoices: 0, customers: 0, projects: 0, costCentres: 0, termsOfPayment: 0, financialYears: 0, chartOfAccountsReads: 0 };
  for (const group of byTenant.values()) {
    const distinct = <T>(values: (T | undefined)[]) => new Set(values.filter((value) => value !== undefined)).size;
    const years = distinct(group.map((invoice) => invoice.invoiceDate.slice(0, 4)));
    sum.invoices += group.length;
    sum.customers += distinct(group.map((invoice) => invoice.customer.customerNumber ?? invoice.customer.name));
    sum.projects += distinct(group.map((invoice) => invoice.project?.number));
    sum.costCentres += distinct(group.flatMap((invoice) => costCentresOf(invoice).map(({ code }) => code)));
    sum.termsOfPayment += distinct(group.map((invoice) => invoice.termsOfPaymentDays));
    sum.financialYears += years;
    sum.chartOfAccountsReads += years * (1 + Math.max(1, Math.ceil(chartSize / PAGE)));
  }
  const total = sum.invoices + sum.customers + sum.projects + sum.costCentres + sum.termsOfPayment + sum.chartOfAccountsReads;
  return { formula: MINIMUM_FORMULA, ...sum, total };
}

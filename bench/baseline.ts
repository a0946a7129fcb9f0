// The naive way, for comparison: a plain loop that transfers one invoice after the other with the same Fortnox
// client (its default 25-per-5 s limiter) and makes every lookup every time — no Temporal, no caching, no overlap.
import { fortnoxControl } from '../src/testkit/fortnox-control.js';
import { createFortnoxClient } from '../src/fortnox/client.js';
import { toFortnoxCustomer } from '../src/mapping/customer.js';
import { toFortnoxInvoice } from '../src/mapping/invoice.js';
import { costCentresOf } from '../src/transfer/index.js';
import { SANDBOX_CLIENT, startFortnoxSandbox } from '../src/sandbox/fortnox/index.js';
import { startSummaSandbox } from '../src/sandbox/summa/index.js';
import { createSummaCallbackClient } from '../src/summa/callback-client.js';
import type { SummaInvoice } from '../src/summa/invoice-contract.js';
import { summariseRequests, type FortnoxTraffic } from '../src/testkit/fortnox-traffic.js';

export const BASELINE_STEPS = [
  'GET /3/financialyears (by date)',
  'GET /3/accounts (chart of the year)',
  'GET /3/customers/{n}, then POST /3/customers or PUT /3/customers/{n}',
  'GET /3/costcenters, then POST /3/costcenters for each missing',
  'GET /3/projects/{n}, then POST /3/projects or PUT /3/projects/{n}',
  'GET /3/termsofpayments/{code}',
  'POST /3/invoices',
  'PUT <Summa>/invoices/{id}/fortnox (write-back)',
];

export interface BaselineResult {
  invoices: number;
  wallSeconds: number;
  invoicesPerSecond: number;
  fortnox: FortnoxTraffic;
  writtenBack: number;
}

/** Runs the naive transfer of `invoices` (all of tenant `tenant`) against a fresh sandbox with Fortnox's limit on. */
export async function runBaseline(invoices: readonly SummaInvoice[], tenant: string): Promise<BaselineResult> {
  const secret = 'bench-baseline-secret-0123456789';
  const fortnox = await startFortnoxSandbox({ rateLimit: { requests: 25, windowMs: 5_000 }, tenants: ['1'] });
  const summa = await startSummaSandbox({ secretFor: (key) => (key === tenant ? secret : undefined) });
  try {
    const client = createFortnoxClient({
      tenant,
      auth: { kind: 'clientCredentials', ...SANDBOX_CLIENT, tenantId: '1' },
      apiBaseUrl: fortnox.url,
      authBaseUrl: `${fortnox.url}/oauth-v1`,
    });
    const summaClient = createSummaCallbackClient({ baseUrl: summa.url, secretFor: () => secret });
    const started = performance.now();
    for (const invoice of invoices) {
      const year = await client.financialYears.byDate(invoice.invoiceDate);
      if (year === undefined) throw new Error(`no financial year for ${invoice.invoiceDate}`);
      await client.accounts.list(year.Id);

      const number = invoice.customer.customerNumber ?? invoice.invoiceId;
      const wanted = toFortnoxCustomer(invoice.customer);
      if ((await client.customers.get(number)) === undefined) await client.customers.create({ ...wanted, CustomerNumber: number });
      else await client.customers.update(number, wanted);

      const existing = new Set((await client.costCentres.list()).map((centre) => centre.Code));
      for (const { code, description } of costCentresOf(invoice)) {
        if (!existing.has(code)) await client.costCentres.create({ Code: code, Description: description });
      }

      if (invoice.project !== undefined) {
        const project = { Description: invoice.project.description };
        if ((await client.projects.get(invoice.project.number)) === undefined) await client.projects.create({ ProjectNumber: invoice.project.number, ...project });
        else await client.projects.update(invoice.project.number, project);
      }

      const terms = invoice.termsOfPaymentDays === undefined ? undefined : String(invoice.termsOfPaymentDays);
      if (terms !== undefined && (await client.termsOfPayments.get(terms)) === undefined) throw new Error(`no terms of payment ${terms}`);

      const created = await client.invoices.create(toFortnoxInvoice(invoice, { customerNumber: number, termsOfPayment: terms, creditInvoiceReference: undefined, acontoRows: [] }));
      await summaClient.reportTransfer({ tenant, invoiceId: invoice.invoiceId, status: 'transferred', fortnoxInvoiceNumber: created.DocumentNumber });
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const state = (await (await fetch(`${summa.url}/sandbox/state`)).json()) as { invoices: Record<string, { status: string }> };
    return {
      invoices: invoices.length,
      wallSeconds,
      invoicesPerSecond: invoices.length / wallSeconds,
      fortnox: summariseRequests(await fortnoxControl(fortnox).requests()),
      writtenBack: Object.values(state.invoices).filter((update) => update.status === 'transferred').length,
    };
  } finally {
    await fortnox.close();
    await summa.close();
  }
}

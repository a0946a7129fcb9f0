import { WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invoiceWorkflowId } from '../../src/transfer/index.js';
import type { invoiceTransfer } from '../../workflows/invoice-transfer.js';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, TEST_SECRET, type Pipeline } from '../helpers/pipeline.js';
import { until } from '../helpers/until.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';

const today = new Date().toISOString().slice(0, 10);

describe('invoice transfer on the real dev server, worker and sandboxes', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  beforeEach(async () => {
    // Tests change the chart of accounts; each starts from the seed.
    await pipeline.resetFortnox();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const result = (tenant: string, invoiceId: string) => pipeline.client.workflow.getHandle<typeof invoiceTransfer>(invoiceWorkflowId(tenant, invoiceId)).result();
  const fortnoxInvoicesFor = async (invoiceId: string) =>
    (await pipeline.fortnoxControl.state('1')).invoices.filter((invoice) => invoice.ExternalInvoiceReference1 === invoiceId);
  const summaLatest = async (tenant: string, invoiceId: string) => {
    const response = await fetch(`${pipeline.summa.url}/sandbox/state`);
    const state = (await response.json()) as { invoices: Record<string, { status: string; fortnoxInvoiceNumber?: string; message?: string }> };
    return state.invoices[`${tenant}/${invoiceId}`];
  };

  it('creates customer, cost centre, project and invoice in Fortnox and writes the number back to Summa', async () => {
    const invoice = anInvoice();
    expect(await pipeline.service.transfer(invoice)).toMatchObject({ outcome: 'started' });
    const outcome = await result('demo', invoice.invoiceId);
    const [created, ...others] = await fortnoxInvoicesFor(invoice.invoiceId);
    expect(others).toEqual([]);
    expect(created).toMatchObject({ DocumentNumber: outcome.fortnoxInvoiceNumber, CustomerNumber: invoice.customer.customerNumber, CostCenter: 'TRYCK', Project: invoice.project?.number });
    const state = await pipeline.fortnoxControl.state('1');
    expect(state.customers.find((customer) => customer.CustomerNumber === invoice.customer.customerNumber)).toMatchObject({ Name: 'Tryckeri Ängeln AB', City: 'Umeå' });
    expect(state.costCenters.map((costCentre) => costCentre.Code)).toContain('TRYCK');
    expect(state.projects.find((project) => project.ProjectNumber === invoice.project?.number)).toMatchObject({ Description: 'Vårkatalog' });
    expect(await summaLatest('demo', invoice.invoiceId)).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber });
    expect(await pipeline.service.status('demo', invoice.invoiceId)).toMatchObject({
      status: 'Transferred',
      fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber,
      fortnoxCustomerNumber: invoice.customer.customerNumber,
    });
  });

  it('keeps every secret out of the workflow history', async () => {
    const invoice = anInvoice();
    await pipeline.service.transfer(invoice);
    await pipeline.transferred('demo', invoice.invoiceId);
    const json = historyToJSON(await pipeline.client.workflow.getHandle(invoiceWorkflowId('demo', invoice.invoiceId)).fetchHistory());
    // Payloads are base64 in the history JSON: read them decoded, and prove the decoding by finding the invoice.
    const decoded = [...json.matchAll(/"data": ?"([A-Za-z0-9+/=]+)"/g)].map((match) => Buffer.from(match[1] ?? '', 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain(invoice.invoiceId);
    for (const secret of [SANDBOX_CLIENT.clientSecret, TEST_SECRET, 'Bearer ', 'access_token', 'refresh_token']) {
      expect(json).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
  });

  it('starts nothing new for a repeated delivery, while running and after it finished', async () => {
    const invoice = anInvoice();
    const [first, second] = await Promise.all([pipeline.service.transfer(invoice), pipeline.service.transfer(invoice)]);
    expect([first.outcome, second.outcome].sort()).toEqual(['alreadyRunning', 'started']);
    await result('demo', invoice.invoiceId);
    expect(await pipeline.service.transfer(invoice)).toMatchObject({ outcome: 'alreadyTransferred' });
    expect(await fortnoxInvoicesFor(invoice.invoiceId)).toHaveLength(1);
  });

  it('creates exactly one invoice when Fortnox applies the create but the answer is lost', async () => {
    const invoice = anInvoice();
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices', method: 'POST', kind: 'applyThenDrop', count: 1 });
    await pipeline.service.transfer(invoice);
    const outcome = await result('demo', invoice.invoiceId);
    const created = await fortnoxInvoicesFor(invoice.invoiceId);
    expect(created).toHaveLength(1);
    expect(created[0]?.DocumentNumber).toBe(outcome.fortnoxInvoiceNumber);
    expect(await summaLatest('demo', invoice.invoiceId)).toMatchObject({ fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber });
  });

  it('waits in NeedsAttention naming every bad account with its rows, and names only what is left after a retry', async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const year = await fortnox.financialYears.byDate(today);
    const inactive = (await fortnox.accounts.list(year?.Id ?? 0)).find((account) => account.Active === false);
    expect(inactive).toBeDefined();
    const account = inactive?.Number ?? 0;
    const invoice = anInvoice({
      rows: [
        { description: 'Affischer', quantity: 10, unitPrice: 40, vatPercent: 25, account: 3001 },
        { description: 'Varor', quantity: 1, unitPrice: 100, vatPercent: 25, account },
        { description: 'Konto 3999', quantity: 1, unitPrice: 100, vatPercent: 25, account: 3999 },
      ],
    });
    await pipeline.service.transfer(invoice);
    const waiting = await until(() => pipeline.service.status('demo', invoice.invoiceId), (view) => view?.status === 'NeedsAttention', 'NeedsAttention');
    expect(waiting).toMatchObject({ step: 'validateAccounts' });
    expect(waiting?.message).toMatch(/konto 3999 finns inte i Fortnox räkenskapsåret \d{4}-\d\d-\d\d–\d{4}-\d\d-\d\d \(rad 3\)/);
    expect(waiting?.message).toMatch(new RegExp(`^Konto ${account} är inaktivt i Fortnox räkenskapsåret .* \\(rad 2\\) — aktivera kontot`));
    expect(waiting?.message).toMatch(/Tryck sedan Försök igen\.$/);
    expect(await summaLatest('demo', invoice.invoiceId)).toMatchObject({ status: 'needsAttention', message: waiting?.message });
    expect((await pipeline.service.stuck('demo')).map((view) => view.invoiceId)).toContain(invoice.invoiceId);
    expect(await fortnoxInvoicesFor(invoice.invoiceId)).toEqual([]);

    await fortnox.accounts.update(account, year?.Id ?? 0, { Active: true });
    // Still missing 3999: the retry runs the step again and stops again, naming only what is left.
    await pipeline.service.retry('demo', invoice.invoiceId);
    const again = await until(
      () => pipeline.service.status('demo', invoice.invoiceId),
      (view) => view?.status === 'NeedsAttention' && view.retries === 1,
      'second NeedsAttention',
    );
    expect(again?.message).not.toContain(`konto ${account}`);
    expect(again?.message).toMatch(/^Konto 3999 finns inte/);
  });

  it('transfers after the operator fixes the account in Fortnox and retries', async () => {
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    const year = await fortnox.financialYears.byDate(today);
    const inactive = (await fortnox.accounts.list(year?.Id ?? 0)).find((account) => account.Active === false);
    const account = inactive?.Number ?? 0;
    const invoice = anInvoice({ rows: [{ description: 'Varor', quantity: 1, unitPrice: 100, vatPercent: 25, account }] });
    await pipeline.service.transfer(invoice);
    await until(() => pipeline.service.status('demo', invoice.invoiceId), (view) => view?.status === 'NeedsAttention', 'NeedsAttention');
    await fortnox.accounts.update(account, year?.Id ?? 0, { Active: true });
    await pipeline.service.retry('demo', invoice.invoiceId);
    const outcome = await result('demo', invoice.invoiceId);
    expect(await fortnoxInvoicesFor(invoice.invoiceId)).toHaveLength(1);
    expect(await summaLatest('demo', invoice.invoiceId)).toMatchObject({ status: 'transferred', fortnoxInvoiceNumber: outcome.fortnoxInvoiceNumber });
  });

  it('cancels a transfer that needs attention, tells Summa the reason, and lets the invoice be sent again', async () => {
    const invoice = anInvoice({ rows: [{ description: 'Okänt', quantity: 1, unitPrice: 1, vatPercent: 25, account: 3998 }] });
    await pipeline.service.transfer(invoice);
    await until(() => pipeline.service.status('demo', invoice.invoiceId), (view) => view?.status === 'NeedsAttention', 'NeedsAttention');
    await pipeline.service.cancel('demo', invoice.invoiceId, 'Fakturan makulerad i Summa');
    const failure = await result('demo', invoice.invoiceId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(await summaLatest('demo', invoice.invoiceId)).toMatchObject({ status: 'cancelled', message: expect.stringContaining('Fakturan makulerad i Summa') as string });
    expect(await pipeline.service.status('demo', invoice.invoiceId)).toMatchObject({ status: 'Cancelled' });
    expect(await pipeline.service.transfer(invoice)).toMatchObject({ outcome: 'started' });
  });
});

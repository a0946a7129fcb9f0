import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, createLegacyActivities, type ActivityDeps } from '../../../activities/index.js';
import type { CreateFortnoxInvoiceInput } from '../../../activities/create-fortnox-invoice.js';
import type { FortnoxClient } from '../../../src/fortnox/client.js';
import type { SummaInvoice, SummaInvoiceInput } from '../../../src/summa/invoice-contract.js';
import { failureTypes } from '../../../src/transfer/index.js';
import { activityFailure, apiCalls, apiWrites, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { sandboxClient, useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';
import { anInvoice } from '../../helpers/invoices.js';

/** anInvoice()'s figures: 1000 × 2.50 at 25 % and 20 × 150 at 6 %. */
const FIGURES = { net: 5500, vat: 805, total: 6305 };

describe('createFortnoxInvoice', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let deps: ActivityDeps;
  let person: FortnoxClient;

  beforeAll(() => {
    person = sandboxClient(kit.sandbox, '1');
  });
  beforeEach(() => {
    deps = sandboxActivityDeps(kit.sandbox);
  });

  /** A Summa invoice whose customer Fortnox has (the earlier steps' work), without a project to keep it short. */
  async function invoiceFor(overrides: Partial<SummaInvoiceInput> = {}): Promise<SummaInvoice> {
    const invoice = anInvoice({ project: undefined, ...overrides });
    const number = invoice.customer.customerNumber ?? '';
    if ((await person.customers.get(number)) === undefined) await person.customers.create({ CustomerNumber: number, Name: invoice.customer.name });
    return invoice;
  }
  const create = (invoice: SummaInvoice, extra: Partial<CreateFortnoxInvoiceInput> = {}, attempt = 1) =>
    runActivity(
      createActivities(deps).createFortnoxInvoice,
      { invoice, customerNumber: invoice.customer.customerNumber ?? '', termsOfPayment: '30', mayAlreadyExist: false, ...extra },
      { attempt },
    );
  const invoicesOf = async (invoiceId: string) =>
    (await kit.control.state('1')).invoices.filter((invoice) => invoice.ExternalInvoiceReference1 === invoiceId);

  it("creates the invoice once, with Summa's id as its reference, and checks Fortnox's figures against Summa's", async () => {
    const invoice = await invoiceFor({ totals: FIGURES });
    await kit.control.clearRequests();
    const created = await create(invoice);
    expect(created).toEqual({
      documentNumber: expect.stringMatching(/^\d+$/) as unknown,
      outcome: 'created',
      ...FIGURES,
      // What the write-back tells Summa beside the number, from Fortnox's answer.
      ocr: expect.stringMatching(/^\d+$/) as unknown,
      dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      currency: 'SEK',
      post: false,
    });
    expect(await invoicesOf(invoice.invoiceId)).toEqual([expect.objectContaining({ DocumentNumber: created.documentNumber, CustomerNumber: invoice.customer.customerNumber })]);
    // A first attempt with nothing before it does not look for an earlier invoice.
    expect(await apiCalls(kit.control)).toEqual(['POST /3/invoices']);
  });

  it("stops with both figures when Fortnox's totals differ from Summa's, leaving the invoice in Fortnox", async () => {
    const invoice = await invoiceFor({ totals: { net: 5400, vat: 805, total: 6205 } });
    const failure = await activityFailure(create(invoice));
    const [created] = await invoicesOf(invoice.invoiceId);
    const documentNumber = String(created?.DocumentNumber);
    expect(failure.message).toMatch(new RegExp(`^Beloppen i Fortnox faktura ${documentNumber} skiljer sig från Summas \\(Fortnox mot Summa: netto 5\\s500,00 mot 5\\s400,00, totalt 6\\s305,00 mot 6\\s205,00\\)\\. `));
    expect(failure.message).not.toContain('moms');
    expect(failure.details).toEqual([{ actual: FIGURES, expected: { net: 5400, vat: 805, total: 6205 }, documentNumber }]);
  });

  it('accepts a total that differs by öresavrundning only', async () => {
    const invoice = await invoiceFor({ totals: { ...FIGURES, total: FIGURES.total + 0.4 } });
    expect(await create(invoice)).toMatchObject({ outcome: 'created', total: FIGURES.total });
  });

  it("uses the invoice an earlier attempt created, found by Summa's id, rather than creating another", async () => {
    const invoice = await invoiceFor({ totals: FIGURES });
    const first = await create(invoice);
    const again = await create(invoice, { mayAlreadyExist: true });
    expect(again).toEqual({ ...first, outcome: 'alreadyCreated' });
    expect(await invoicesOf(invoice.invoiceId)).toHaveLength(1);
  });

  it('after a create whose answer was lost, the retry finds the invoice instead of creating a duplicate', async () => {
    const invoice = await invoiceFor({ totals: FIGURES });
    await kit.control.addFault({ route: '/3/invoices', method: 'POST', kind: 'applyThenDrop', count: 1 });
    // Retryable: nobody can know whether Fortnox created it.
    await activityFailure(create(invoice), failureTypes.fortnoxUnavailable);
    const [created] = await invoicesOf(invoice.invoiceId);
    // Temporal's retry of the same activity (attempt 2); the workflow did not know to say mayAlreadyExist.
    const retried = await create(invoice, {}, 2);
    expect(retried).toMatchObject({ outcome: 'alreadyCreated', documentNumber: String(created?.DocumentNumber), ...FIGURES });
    expect(await invoicesOf(invoice.invoiceId)).toHaveLength(1);
  });

  it('credits a whole invoice with Fortnox\'s credit action once, however often it runs, and the original is still found as itself', async () => {
    const original = await invoiceFor({ totals: FIGURES });
    const created = await create(original);
    const credit = await invoiceFor({ credit: { originalInvoiceId: original.invoiceId, full: true }, rows: [] });
    const first = await create(credit);
    expect(first).toMatchObject({ outcome: 'created', net: -FIGURES.net, total: -FIGURES.total });
    expect(await create(credit, { mayAlreadyExist: true })).toEqual({ ...first, outcome: 'alreadyCreated' });
    expect((await apiWrites(kit.control)).filter((call) => call.endsWith('/credit'))).toHaveLength(1);
    // The credit may carry the original's reference; a retry of the original must not take the credit for it.
    expect(await create(original, { mayAlreadyExist: true })).toMatchObject({ outcome: 'alreadyCreated', documentNumber: created.documentNumber });
  });

  // A partial credit is a credit invoice carrying its own Summa id: it must be found, or its retry credits twice.
  it("a partial credit's retry finds the credit invoice an earlier attempt created, rather than crediting twice", async () => {
    const original = await invoiceFor({ totals: FIGURES });
    await create(original);
    const credit = await invoiceFor({
      credit: { originalInvoiceId: original.invoiceId, full: false },
      rows: [{ description: 'Kreditering: 100 broschyrer', quantity: -100, unitPrice: 2.5, vatPercent: 25, account: 3001 }],
    });
    const first = await create(credit);
    expect(first).toMatchObject({ outcome: 'created', net: -250 });
    const again = await create(credit, { mayAlreadyExist: true });
    expect(await invoicesOf(credit.invoiceId)).toHaveLength(1);
    expect(again).toEqual({ ...first, outcome: 'alreadyCreated' });
  });

  it('refuses to credit an invoice that was never transferred', async () => {
    const credit = await invoiceFor({ credit: { originalInvoiceId: 'T-never', full: true }, rows: [] });
    const failure = await activityFailure(create(credit));
    expect(failure.message).toMatch(new RegExp(`^Summa-faktura T-never, som ${credit.invoiceId} krediterar, har aldrig överförts till Fortnox`));
  });

  it('asks for a currency Fortnox does not have before creating anything', async () => {
    const invoice = await invoiceFor({ currency: 'DKK', currencyRate: 1.5 });
    const failure = await activityFailure(create(invoice));
    expect(failure.message).toMatch(/^Valutan DKK är inte upplagd i Fortnox/);
    expect(await apiWrites(kit.control)).toEqual(['POST /3/customers']); // the test's own
  });

  it('deducts an earlier a-conto invoice, and refuses one Fortnox does not have', async () => {
    const aconto = await invoiceFor({ rows: [{ description: 'A-conto', quantity: 1, unitPrice: 2000, vatPercent: 25, account: 3001 }] });
    const acontoCreated = await create(aconto);
    const final = await invoiceFor({ acontoDeductions: [{ invoiceId: aconto.invoiceId, amount: 2000, vatPercent: 25 }] });
    expect(await create(final)).toMatchObject({ outcome: 'created', net: FIGURES.net - 2000 });
    const [row] = ((await invoicesOf(final.invoiceId))[0]?.InvoiceRows as Record<string, unknown>[]).filter((line) => Number(line.AccountNumber) === 2420);
    expect(row).toMatchObject({ Description: `Avgår a-contofaktura ${acontoCreated.documentNumber} (Summa ${aconto.invoiceId})` });

    const orphan = await invoiceFor({ acontoDeductions: [{ invoiceId: 'T-missing', amount: 100, vatPercent: 25 }] });
    expect((await activityFailure(create(orphan))).message).toMatch(/^A-contofaktura T-missing finns inte i Fortnox/);
  });

  it('says the posting step should run for a tenant that books or sends its invoices', async () => {
    deps = sandboxActivityDeps(kit.sandbox, { posting: { bookkeep: true } });
    expect(await create(await invoiceFor())).toMatchObject({ outcome: 'created', post: true });
  });
});

describe('checkTotals (the separate totals step of transfers started before it moved into the create step)', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  const check = (documentNumber: string, created?: { net: number; vat: number; total: number }) =>
    runActivity(createLegacyActivities(sandboxActivityDeps(kit.sandbox)).checkTotals, {
      tenant: TENANT,
      invoiceId: 'F-1',
      documentNumber,
      expected: FIGURES,
      ...(created === undefined ? {} : { created }),
    });

  it("reads Fortnox's figures when the create step's answer is not at hand, and compares them", async () => {
    const person = sandboxClient(kit.sandbox, '1');
    await person.customers.create({ CustomerNumber: 'K-1', Name: 'Kund' });
    const invoice = await person.invoices.create({
      CustomerNumber: 'K-1',
      InvoiceRows: [
        { AccountNumber: 3001, Description: 'Broschyr', DeliveredQuantity: '1000', Price: 2.5, VAT: 25 },
        { AccountNumber: 3003, Description: 'Bok', DeliveredQuantity: '20', Price: 150, VAT: 6 },
      ],
    });
    expect(await check(invoice.DocumentNumber)).toEqual(FIGURES);
    const failure = await activityFailure(check(invoice.DocumentNumber, { ...FIGURES, vat: 800 }));
    expect(failure.message).toContain('moms 800,00 mot 805,00');
  });

  // A figure Fortnox does not give is NaN, and NaN is never "more than an öre away": it must not pass as a match.
  it('does not pass an invoice Fortnox has no figures for', async () => {
    const failure = await activityFailure(check('99999'));
    expect(failure.message).toMatch(/^Fortnox gav inga belopp/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookServer, type HookServer, type HookTransfers } from '../../src/hook/index.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import { exportWorkflowId, invoiceWorkflowId } from '../../src/transfer/index.js';
import { anInvoice } from '../helpers/invoices.js';

/*
 * The bodies the hook fuzz test (hook-fuzz.test.ts) found mishandled, kept as plain examples so that each fix
 * stays fixed whatever seed the fuzz test draws.
 */

const SECRET = 'regression-secret';

/** Counts what the hook asks; starts nothing. */
function recordingTransfers() {
  const calls: string[] = [];
  const service: HookTransfers = {
    transfer: (invoice) => (calls.push('transfer'), Promise.resolve({ workflowId: invoiceWorkflowId(invoice.tenant, invoice.invoiceId), outcome: 'started' })),
    export: (request) => (calls.push('export'), Promise.resolve({ workflowId: exportWorkflowId(request.tenant, request.exportId), outcome: 'started' })),
    status: () => Promise.resolve(undefined),
  };
  return { service, calls };
}

interface Answer {
  status: number;
  bytes: number;
  json: { error?: string; problems?: { path: string; message: string }[] };
}

describe('hook regressions found by fuzzing', () => {
  const transfers = recordingTransfers();
  let hook: HookServer;
  beforeAll(async () => {
    hook = await createHookServer({ transfers: transfers.service, secretFor: (tenant) => (tenant === 'demo' ? SECRET : undefined), log: () => undefined });
  });
  afterAll(async () => {
    await hook.close();
  });

  async function post(route: string, body: string | Buffer): Promise<Answer> {
    const bytes = Buffer.from(body);
    const response = await fetch(`${hook.url}${route}`, { method: 'POST', body: bytes, headers: { 'Content-Type': 'application/json', ...signSummaRequest(SECRET, { method: 'POST', path: route, body: bytes }) } });
    const text = await response.text();
    return { status: response.status, bytes: Buffer.byteLength(text), json: JSON.parse(text) as Answer['json'] };
  }
  /** A valid invoice's JSON text with `field` set to raw JSON text, so values JSON.stringify cannot write fit in. */
  const invoiceWith = (field: string, rawValue: string) => {
    const text = JSON.stringify({ ...anInvoice(), [field]: '@@' });
    return text.replace('"@@"', rawValue);
  };

  it('refuses an invoice nested 10,000 levels deep with 400 naming where it gets too deep, and starts nothing', async () => {
    const depth = 10_000;
    const answer = await post('/hooks/summa/invoices', invoiceWith('remarks', `${'['.repeat(depth)}1${']'.repeat(depth)}`));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      error: 'invalid_invoice',
      problems: [{ path: ['remarks', ...Array.from({ length: 63 }, () => '0')].join('.'), message: 'is nested more than 64 levels deep' }],
    });
    expect(transfers.calls).toEqual([]);
  });

  it('answers a body with a reserved key on each of 20,000 levels briefly, not with a path per level as long as its depth', async () => {
    // Found as a 400 whose answer was 400 MB, built in 7.5 s: every level's __proto__ reported with its whole path.
    const depth = 20_000;
    const body = `{"tenant":"demo","a":${'{"__proto__":0,"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const answer = await post('/hooks/summa/exports', body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_invoice');
    expect(answer.json.problems?.length).toBeLessThanOrEqual(20);
    expect(answer.json.problems).toContainEqual({ path: 'a.__proto__', message: 'is a reserved name and not allowed' });
    expect(answer.bytes).toBeLessThan(64 * 1024);
    expect(transfers.calls).toEqual([]);
  });

  it.each([
    ['in a value', invoiceWith('yourReference', '"Åsa \\ud800Öberg"'), 'yourReference', 'is not valid Unicode: it holds a lone UTF-16 surrogate (\\ud800–\\udfff)'],
    ['in a row, as a low surrogate alone', invoiceWith('rows', '[{"description":"Broschyr \\udc00","quantity":1,"unitPrice":1,"vatPercent":25,"account":3001}]'), 'rows.0.description', 'is not valid Unicode: it holds a lone UTF-16 surrogate (\\ud800–\\udfff)'],
    ['in a key', invoiceWith('remarks', '{"x\\ud83d":1}'), 'remarks.x\ud83d', 'is a key that is not valid Unicode: it holds a lone UTF-16 surrogate (\\ud800–\\udfff)'],
  ])('refuses a lone surrogate escape %s with 400 naming the field, instead of taking text Fortnox would store as U+FFFD', async (_case, body, path, message) => {
    // Valid UTF-8 and valid JSON, and it passed the contract: every string check there counts UTF-16 units.
    const answer = await post('/hooks/summa/invoices', body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid_invoice', problems: [{ path, message }] });
    expect(transfers.calls).toEqual([]);
  });

  it('still takes a surrogate pair written as escapes (an emoji in a remark)', async () => {
    const answer = await post('/hooks/summa/invoices', invoiceWith('remarks', '"Tack! \\ud83d\\udda8"'));
    expect(answer.status).toBe(202);
    expect(transfers.calls).toEqual(['transfer']);
    transfers.calls.length = 0;
  });

  it.each([
    ['at the top', '/hooks/summa/invoices', () => ({ ...anInvoice(), colour: 'blå' }), 'colour'],
    ['in the customer', '/hooks/summa/invoices', () => ({ ...anInvoice(), customer: { ...anInvoice().customer, 'Kund.nr': 7 } }), 'customer.Kund.nr'],
    ['that is empty', '/hooks/summa/invoices', () => ({ ...anInvoice(), '': [] }), ''],
    ['in a row of an export', '/hooks/summa/exports', () => ({ tenant: 'demo', exportId: 'X-1', invoices: [anInvoice(), { ...anInvoice(), rows: [{ ...anInvoice().rows[0], moms: 25 }] }] }), 'invoices.1.rows.0.moms'],
  ])('names an unknown key %s by its own path, not by the object holding it', async (_case, route, body, path) => {
    // Found as { path: "(body)", message: 'Unrecognized key: "colour"' }: the path named nothing to fix.
    const answer = await post(route, JSON.stringify(body()));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid_invoice', problems: [{ path, message: 'is not a field of the contract' }] });
    expect(transfers.calls).toEqual([]);
  });

  it('takes Summa totals of 139 million kronor with two decimals, which float error in value × 100 made look like three', async () => {
    // Found by the valid-invoice arbitrary: 139393437.11 × 100 = 13939343711.000002, over the old absolute 1e-6.
    const invoice = { ...anInvoice(), rows: [{ description: 'Tryck', quantity: 1, unitPrice: 139393437.11, vatPercent: 25, account: 3001 }], totals: { net: 139393437.11, vat: 34848359.28, total: 174241796.39 } };
    const answer = await post('/hooks/summa/invoices', JSON.stringify(invoice));
    expect(answer.status).toBe(202);
    expect(transfers.calls).toEqual(['transfer']);
    transfers.calls.length = 0;
    const threeDecimals = await post('/hooks/summa/invoices', JSON.stringify({ ...invoice, totals: { ...invoice.totals, net: 139393437.115 } }));
    expect(threeDecimals.json).toEqual({ error: 'invalid_invoice', problems: [{ path: 'totals.net', message: 'must have at most two decimals' }] });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxClient } from '../../src/fortnox/client.js';
import {
  classifyFortnoxError,
  FortnoxApiError,
  FortnoxNetworkError,
  FortnoxRateLimitError,
  FortnoxTimeoutError,
} from '../../src/fortnox/errors.js';
import { sandboxClient, useFortnoxSandbox } from '../helpers/fortnox-sandbox.js';
import { failureOf } from '../helpers/failure-of.js';

const today = new Date().toISOString().slice(0, 10);


describe('Fortnox client against the sandbox: failures', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let fortnox: FortnoxClient;
  beforeAll(() => {
    fortnox = sandboxClient(kit.sandbox, '1', { timeoutMs: 500 });
  });

  it.each([500, 503])('turns HTTP %i into a retryable FortnoxApiError', async (status) => {
    await kit.control.addFault({ route: '/3/costcenters', kind: 'status', status, count: 1 });
    const error = await failureOf(fortnox.costCentres.list());
    expect(error).toBeInstanceOf(FortnoxApiError);
    expect(error).toMatchObject({ status, request: 'GET /3/costcenters' });
    expect(classifyFortnoxError(error)).toEqual({ kind: 'retryable' });
    expect(await fortnox.costCentres.list()).not.toHaveLength(0);
  });

  it('turns a 429 into a retryable error that carries a full window of delay', async () => {
    await kit.control.addFault({ route: '/3/costcenters', kind: 'status', status: 429, count: 1 });
    const error = await failureOf(fortnox.costCentres.list());
    expect(error).toBeInstanceOf(FortnoxRateLimitError);
    expect(classifyFortnoxError(error)).toEqual({ kind: 'retryable', retryAfterMs: 5_000 });
  });

  it('turns a reset connection into a retryable FortnoxNetworkError', async () => {
    await kit.control.addFault({ route: '/3/costcenters', kind: 'reset', count: 1 });
    const error = await failureOf(fortnox.costCentres.list());
    expect(error).toBeInstanceOf(FortnoxNetworkError);
    expect(classifyFortnoxError(error)).toEqual({ kind: 'retryable' });
  });

  it('gives up on a slow answer with a retryable FortnoxTimeoutError', async () => {
    await kit.control.addFault({ route: '/3/costcenters', kind: 'latency', latencyMs: 1_500, count: 1 });
    const error = await failureOf(fortnox.costCentres.list());
    expect(error).toBeInstanceOf(FortnoxTimeoutError);
    expect(classifyFortnoxError(error)).toEqual({ kind: 'retryable' });
  });

  it('shows, after a create whose answer was lost, the one invoice it made under its external reference', async () => {
    const customerNumber = (await fortnox.customers.create({ Name: 'Förlorat svar AB' })).CustomerNumber;
    await kit.control.addFault({ route: '/3/invoices', method: 'POST', kind: 'applyThenDrop', count: 1 });
    const invoice = { CustomerNumber: customerNumber, InvoiceDate: today, ExternalInvoiceReference1: 'SUMMA-LOST-1' };
    const error = await failureOf(fortnox.invoices.create(invoice));
    expect(error).toBeInstanceOf(FortnoxNetworkError);
    expect(await fortnox.invoices.findByExternalReference('SUMMA-LOST-1')).toHaveLength(1);
  });

  it('reports a validation error as permanent, with Fortnox\'s code and Swedish message', async () => {
    const error = await failureOf(fortnox.invoices.create({ CustomerNumber: 'finns-inte', InvoiceDate: today }));
    expect(error).toBeInstanceOf(FortnoxApiError);
    expect(error).toMatchObject({ status: 400, code: 2000433, request: 'POST /3/invoices' });
    expect((error as FortnoxApiError).fortnoxMessage).toMatch(/kunden/i);
    expect(classifyFortnoxError(error)).toEqual({ kind: 'permanent' });
  });
});

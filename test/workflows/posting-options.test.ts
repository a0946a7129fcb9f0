import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';

describe('per-tenant posting options: book and send after the number is written back', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline({ tenants: { demo: '1', quiet: '2' }, posting: { demo: { bookkeep: true, send: 'email' } } });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const sendsOf = async (tenantId: string, documentNumber: string) => {
    const state = (await pipeline.fortnoxControl.state(tenantId)) as unknown as { sends?: { documentNumber?: unknown; DocumentNumber?: unknown }[] };
    return (state.sends ?? []).filter((send) => String(send.documentNumber ?? send.DocumentNumber) === documentNumber);
  };

  it('books and e-mails the invoice once, even when the send’s answer is lost and the step is retried', async () => {
    const invoice = anInvoice({ customer: { customerNumber: 'POST-1', name: 'Bokförlaget Ugglan AB', type: 'COMPANY', invoiceEmail: 'faktura@ugglan.se' } });
    // Fortnox sends the e-mail, and the answer never arrives: the retry must see `Sent` and not send again.
    await pipeline.fortnoxControl.addFault({ route: '/3/invoices/{DocumentNumber}/email', kind: 'applyThenDrop', count: 1 });
    await pipeline.service.transfer(invoice);
    const { fortnoxInvoiceNumber } = await pipeline.transferred('demo', invoice.invoiceId);
    const created = (await pipeline.fortnoxControl.state('1')).invoices.find((item) => item.DocumentNumber === fortnoxInvoiceNumber);
    expect(created).toMatchObject({ Booked: true, Sent: true });
    expect(await sendsOf('1', fortnoxInvoiceNumber)).toHaveLength(1);
    const emailCalls = await pipeline.fortnoxControl.requests({ route: '/3/invoices/{DocumentNumber}/email' });
    expect(emailCalls).toHaveLength(1);
  });

  it('leaves booking and sending to the print shop by default', async () => {
    const invoice = anInvoice({ tenant: 'quiet' });
    await pipeline.service.transfer(invoice);
    const { fortnoxInvoiceNumber } = await pipeline.transferred('quiet', invoice.invoiceId);
    const created = (await pipeline.fortnoxControl.state('2')).invoices.find((item) => item.DocumentNumber === fortnoxInvoiceNumber);
    expect(created).toMatchObject({ Booked: false, Sent: false });
  });

  it('needs attention, naming what to fix, when the invoice cannot be e-mailed', async () => {
    const invoice = anInvoice({ customer: { customerNumber: 'POST-2', name: 'Utan E-post AB', type: 'COMPANY' } });
    await pipeline.service.transfer(invoice);
    let view = await pipeline.service.status('demo', invoice.invoiceId);
    while (view?.status !== 'NeedsAttention') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await pipeline.service.status('demo', invoice.invoiceId);
    }
    expect(view.step).toBe('postInvoice');
    expect(view.fortnoxInvoiceNumber).toBeDefined();
    expect(view.message).toMatch(/^Fortnox avvisade faktura .* — rätta uppgiften i Summa eller Fortnox och tryck Försök igen \(Fortnox felkod \d+: .+\)$/);
    await pipeline.service.cancel('demo', invoice.invoiceId, 'testet klart');
  });
});

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import type { PostingOptions } from '../../../src/config/tenants.js';
import type { FortnoxClient } from '../../../src/fortnox/client.js';
import { activityFailure, apiCalls, apiWrites, runActivity, sandboxActivityDeps, TENANT } from '../../helpers/activities.js';
import { sandboxClient, useFortnoxSandbox } from '../../helpers/fortnox-sandbox.js';

describe('postInvoice', () => {
  const kit = useFortnoxSandbox({ rateLimit: false, tenants: ['1'] });
  let person: FortnoxClient;
  let documentNumber: string;

  const post = (posting: Partial<PostingOptions>, number = documentNumber) =>
    runActivity(createActivities(sandboxActivityDeps(kit.sandbox, { posting })).postInvoice, { tenant: TENANT, invoiceId: 'F-1', documentNumber: number });

  beforeAll(() => {
    person = sandboxClient(kit.sandbox, '1');
  });
  beforeEach(async () => {
    await person.customers.create({ CustomerNumber: 'K-1', Name: 'Tryckeri Ängeln AB', Email: 'faktura@angeln.se' });
    const invoice = await person.invoices.create({
      CustomerNumber: 'K-1',
      ExternalInvoiceReference1: 'F-1',
      InvoiceRows: [{ AccountNumber: 3001, Description: 'Broschyr', DeliveredQuantity: '100', Price: 10, VAT: 25 }],
    });
    documentNumber = invoice.DocumentNumber;
    await kit.control.clearRequests();
  });

  it('does nothing, and asks Fortnox nothing, for a tenant that neither books nor sends', async () => {
    expect(await post({})).toEqual({ booked: 'off', sent: 'off' });
    expect(await apiCalls(kit.control)).toEqual([]);
  });

  it('books and e-mails the invoice once, however often it runs', async () => {
    expect(await post({ bookkeep: true, send: 'email' })).toEqual({ booked: 'booked', sent: 'email' });
    expect(await post({ bookkeep: true, send: 'email' })).toEqual({ booked: 'alreadyBooked', sent: 'alreadySent' });
    expect(await apiWrites(kit.control)).toEqual(['PUT /3/invoices/{DocumentNumber}/bookkeep', 'GET /3/invoices/{DocumentNumber}/email']);
    expect((await kit.control.state('1')).sends).toEqual([expect.objectContaining({ documentNumber, kind: 'email', to: 'faktura@angeln.se' }) as unknown]);
  });

  it('says so when the invoice is gone from Fortnox', async () => {
    const failure = await activityFailure(post({ bookkeep: true }, '99999'));
    expect(failure.message).toBe('Faktura 99999 finns inte längre i Fortnox — kontrollera i Fortnox.');
  });
});

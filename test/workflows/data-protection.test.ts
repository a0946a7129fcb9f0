import { WorkflowFailedError } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../src/codec/encryption-codec.js';
import { generatePayloadKey, type PayloadKeys } from '../../src/codec/keys.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import { encryptingDataConverter } from '../../src/temporal/data-converter.js';
import { invoiceWorkflowId } from '../../src/transfer/index.js';
import { sandboxClient } from '../helpers/fortnox-sandbox.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, TEST_SECRET, type Pipeline } from '../helpers/pipeline.js';

// Distinctive, ASCII-only values: found in clear anywhere, they can only have come from these invoices.
const pii = {
  name: 'Zyxwvut Hemligtryck AB',
  organisationNumber: '559876-5432',
  address1: 'Kryptogatan 77',
  zipCode: '98765',
  city: 'Chifferby',
  email: 'hemlig.kund@zyxwvut.example',
  yourReference: 'Quintus Hemligsson',
  row1: 'Konfidentiell broschyr Qxz',
  row2: 'Hemligt omslag Wvk',
};

const customer = (extra: Record<string, unknown> = {}) => ({
  name: pii.name,
  organisationNumber: pii.organisationNumber,
  type: 'COMPANY' as const,
  address1: pii.address1,
  zipCode: pii.zipCode,
  city: pii.city,
  countryCode: 'SE',
  email: pii.email,
  ...extra,
});

const rows = [
  { description: pii.row1, quantity: 100, unitPrice: 12, vatPercent: 25 as const, account: 3001 },
  { description: pii.row2, quantity: 1, unitPrice: 300, vatPercent: 25 as const, account: 3001 },
];

/** Every Payload-shaped object in a fetched history (proto objects: metadata and data are bytes). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata !== null && typeof record.metadata === 'object') found.push(record);
  for (const item of Object.values(record)) payloadsIn(item, found);
  return found;
}

describe('data protection: histories with the payload codec on', () => {
  let pipeline: Pipeline;
  let keys: PayloadKeys;

  beforeAll(async () => {
    // The run's bundle (bundleWorkflows) carries the failure converter, so failures raised in workflow code are
    // encrypted too.
    keys = [generatePayloadKey()];
    pipeline = await startPipeline({ codec: { dataConverter: encryptingDataConverter(keys) } });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  /** The history as stored, three ways: the JSON, every base64 string in it decoded, and its payloads decrypted. */
  async function historyOf(invoiceId: string) {
    const history = await pipeline.client.workflow.getHandle(invoiceWorkflowId('demo', invoiceId)).fetchHistory();
    const json = historyToJSON(history);
    const base64Decoded = [...json.matchAll(/"([A-Za-z0-9+/]{8,}={0,2})"/g)]
      .map((match) => Buffer.from(match[1] ?? '', 'base64').toString('latin1'))
      .join('\n');
    const encrypted = payloadsIn(history.events).filter((payload) => Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING);
    const decrypted = (await new EncryptionCodec(keys).decode(encrypted)).map((payload) => Buffer.from(payload.data ?? []).toString('utf8')).join('\n');
    return { json, base64Decoded, decrypted, encryptedCount: encrypted.length };
  }

  function expectNothingInClear(stored: { json: string; base64Decoded: string }) {
    for (const value of Object.values(pii)) {
      expect(stored.json, value).not.toContain(value);
      expect(stored.base64Decoded, value).not.toContain(value);
    }
  }

  function expectNoSecret(stored: { json: string; base64Decoded: string; decrypted: string }) {
    const key = keys[0].key.toString('base64');
    for (const secret of [SANDBOX_CLIENT.clientSecret, TEST_SECRET, key, 'Bearer ', 'access_token', 'refresh_token']) {
      expect(stored.json, secret).not.toContain(secret);
      expect(stored.base64Decoded, secret).not.toContain(secret);
      expect(stored.decrypted, secret).not.toContain(secret);
    }
  }

  it('stores a transferred invoice with no customer data or row text in clear, yet all of it readable with the key', async () => {
    const invoice = anInvoice({ customer: customer({ customerNumber: `K-${Date.now().toString(36)}` }), rows, yourReference: pii.yourReference });
    await pipeline.service.transfer(invoice);
    const outcome = await pipeline.transferred('demo', invoice.invoiceId);
    expect(outcome.fortnoxInvoiceNumber).toMatch(/^\d+$/);

    const stored = await historyOf(invoice.invoiceId);
    expectNothingInClear(stored);
    expectNoSecret(stored);
    // The control: the values did go into the history, encrypted.
    expect(stored.encryptedCount).toBeGreaterThan(5);
    for (const value of Object.values(pii)) expect(stored.decrypted, value).toContain(value);

    // Search attributes are never encoded: they hold only ids, numbers and the status.
    const description = await pipeline.client.workflow.getHandle(invoiceWorkflowId('demo', invoice.invoiceId)).describe();
    const attributes = JSON.stringify(description.typedSearchAttributes);
    expect(attributes).toContain(invoice.invoiceId);
    expect(attributes).toContain('Transferred');
    for (const value of Object.values(pii)) expect(attributes).not.toContain(value);
  });

  it('encrypts failure messages too: a needs-attention message naming the organisation number, and a cancel reason naming the customer', async () => {
    // Two Fortnox customers with the invoice's organisation number: the transfer stops, naming that number.
    const fortnox = sandboxClient(pipeline.fortnox, '1');
    for (const suffix of ['1', '2']) await fortnox.customers.create({ Name: `${pii.name} ${suffix}`, OrganisationNumber: pii.organisationNumber });
    const invoice = anInvoice({ customer: customer(), rows, yourReference: pii.yourReference });
    await pipeline.service.transfer(invoice);
    let view = await pipeline.service.status('demo', invoice.invoiceId);
    for (const deadline = Date.now() + 30_000; view?.status !== 'NeedsAttention' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await pipeline.service.status('demo', invoice.invoiceId);
    }
    expect(view?.message).toContain(`organisationsnummer ${pii.organisationNumber}`);

    await pipeline.service.cancel('demo', invoice.invoiceId, `Makulerad: ${pii.name} har gått i konkurs`);
    const failure: unknown = await pipeline.client.workflow
      .getHandle(invoiceWorkflowId('demo', invoice.invoiceId))
      .result()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    // Decoded for a holder of the key: the message is whole.
    expect((failure as WorkflowFailedError).cause?.message).toContain(`Makulerad: ${pii.name} har gått i konkurs`);

    const stored = await historyOf(invoice.invoiceId);
    expectNothingInClear(stored);
    expectNoSecret(stored);
    expect(stored.json).toContain('Encoded failure');
    expect(stored.decrypted).toContain(`Flera kunder i Fortnox har organisationsnummer ${pii.organisationNumber}`);
    expect(stored.decrypted).toContain(`Makulerad: ${pii.name} har gått i konkurs`);
  });
});

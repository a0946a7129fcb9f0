import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHookServer, type HookLogEntry, type HookServer, type HookTransfers } from '../../src/hook/index.js';
import { projectRoot } from '../../src/paths.js';
import type { SummaExport, SummaInvoice } from '../../src/summa/invoice-contract.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import { exportWorkflowId, invoiceWorkflowId, type TransferService, type TransferView } from '../../src/transfer/index.js';

const secrets: Record<string, string> = { demo: 'demo-secret', other: 'other-secret' };
const example = (file: string) => readFileSync(path.join(projectRoot, 'examples', file), 'utf8');
const invoiceText = example('invoice-simple.json');
const exportText = example('export-small.json');

type TransferOutcome = Awaited<ReturnType<TransferService['transfer']>>['outcome'];
type ExportOutcome = Awaited<ReturnType<TransferService['export']>>['outcome'];

/** A TransferService that records what the hook asked and answers what the test set. */
class RecordingTransfers implements HookTransfers {
  calls: { method: 'transfer' | 'export' | 'status'; args: unknown[] }[] = [];
  transferOutcome: TransferOutcome = 'started';
  exportOutcome: ExportOutcome = 'started';
  views = new Map<string, TransferView>();
  /** When set, every call fails with it, like a client whose Temporal is unreachable. */
  failure: Error | undefined;

  transfer(invoice: SummaInvoice) {
    this.calls.push({ method: 'transfer', args: [invoice] });
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return Promise.resolve({ workflowId: invoiceWorkflowId(invoice.tenant, invoice.invoiceId), outcome: this.transferOutcome });
  }
  export(request: SummaExport) {
    this.calls.push({ method: 'export', args: [request] });
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return Promise.resolve({ workflowId: exportWorkflowId(request.tenant, request.exportId), outcome: this.exportOutcome });
  }
  status(tenant: string, invoiceId: string) {
    this.calls.push({ method: 'status', args: [tenant, invoiceId] });
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return Promise.resolve(this.views.get(invoiceWorkflowId(tenant, invoiceId)));
  }
  exportProgress(): never {
    throw new Error('the hook does not ask for export progress');
  }
  retry(): never {
    throw new Error('the hook does not retry');
  }
  cancel(): never {
    throw new Error('the hook does not cancel');
  }
  stuck(): never {
    throw new Error('the hook does not list stuck transfers');
  }
  callsOf(method: 'transfer' | 'export' | 'status') {
    return this.calls.filter((call) => call.method === method);
  }
}

interface SendOptions {
  /** Signing secret; `null` sends no signature headers. Default: the demo tenant's. */
  secret?: string | null;
  /** Unix seconds to sign with; default now. */
  at?: number;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** X-Summa-Tenant; `null` sends none. Default: the tenant the body names, else demo. */
  tenant?: string | null;
}

/** The tenant a body names, if it is JSON with a string `tenant`. */
function tenantIn(body: string | Uint8Array): string | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    return typeof value === 'object' && value !== null && 'tenant' in value && typeof value.tenant === 'string' ? value.tenant : undefined;
  } catch {
    return undefined;
  }
}

describe('hook server', () => {
  const transfers = new RecordingTransfers();
  const logs: HookLogEntry[] = [];
  let hook: HookServer;

  beforeAll(async () => {
    hook = await createHookServer({ transfers, secretFor: (tenant) => secrets[tenant], log: (entry) => logs.push(entry) });
  });
  afterAll(async () => {
    await hook.close();
  });
  beforeEach(() => {
    transfers.calls = [];
    transfers.views.clear();
    transfers.transferOutcome = 'started';
    transfers.exportOutcome = 'started';
    transfers.failure = undefined;
    logs.length = 0;
  });
  afterEach(async () => {
    // Whatever the test sent, the server must still answer a well-formed request.
    transfers.failure = undefined;
    const response = await get('/hooks/summa/invoices/demo/ALIVE-CHECK');
    expect(response.status).toBe(404);
  });

  function post(route: string, body: string | Uint8Array, options: SendOptions = {}): Promise<Response> {
    const secret = options.secret === undefined ? secrets.demo! : options.secret;
    const headers: Record<string, string> = {
      ...(options.contentType === null ? {} : { 'Content-Type': options.contentType ?? 'application/json' }),
      ...(secret === null ? {} : signSummaRequest(secret, { method: 'POST', path: route, body: Buffer.from(body) }, { ...(options.at === undefined ? {} : { nowSeconds: options.at }) })),
      ...(options.tenant === null ? {} : { 'X-Summa-Tenant': options.tenant ?? tenantIn(body) ?? 'demo' }),
      ...options.headers,
    };
    return fetch(`${hook.url}${route}`, { method: 'POST', body, headers });
  }

  function get(route: string, options: SendOptions = {}): Promise<Response> {
    const secret = options.secret === undefined ? secrets.demo! : options.secret;
    const signed = secret === null ? {} : signSummaRequest(secret, { method: 'GET', path: route, body: '' }, { ...(options.at === undefined ? {} : { nowSeconds: options.at }) });
    return fetch(`${hook.url}${route}`, { headers: { ...signed, ...options.headers } });
  }

  const modifiedInvoice = (change: (invoice: Record<string, unknown>) => void): string => {
    const invoice = JSON.parse(invoiceText) as Record<string, unknown>;
    change(invoice);
    return JSON.stringify(invoice);
  };

  describe('accepting invoices', () => {
    it('starts exactly one transfer for a valid signed invoice and answers 202 with the workflow id', async () => {
      const response = await post('/hooks/summa/invoices', invoiceText);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ workflowId: 'invoice/demo/F-24117', status: 'started' });
      expect(transfers.callsOf('transfer')).toHaveLength(1);
      const [invoice] = transfers.callsOf('transfer')[0]!.args as [SummaInvoice];
      expect(invoice).toMatchObject({ tenant: 'demo', invoiceId: 'F-24117', currency: 'SEK', customer: { name: 'Skärgårdsförlaget i Östhammar AB' } });
      expect(invoice.rows).toHaveLength(4);
    });

    it.each(['alreadyRunning', 'alreadyTransferred'] as const)('answers a repeated delivery with 202 and the service outcome %s', async (outcome) => {
      transfers.transferOutcome = outcome;
      const response = await post('/hooks/summa/invoices', invoiceText);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ workflowId: 'invoice/demo/F-24117', status: outcome });
    });

    it('accepts Content-Type application/json with charset=utf-8', async () => {
      const response = await post('/hooks/summa/invoices', invoiceText, { contentType: 'application/json; charset=UTF-8' });
      expect(response.status).toBe(202);
    });

    it('starts an export of three invoices and answers 202 with the export workflow id', async () => {
      const response = await post('/hooks/summa/exports', exportText);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ workflowId: 'export/demo/EXP-2026-11-16', status: 'started' });
      const [request] = transfers.callsOf('export')[0]!.args as [SummaExport];
      expect(request.invoices.map((invoice) => invoice.invoiceId)).toEqual(['F-24118', 'F-24119', 'F-24120']);
    });

    it('answers a repeated export with 202 and the outcome alreadyFinished', async () => {
      transfers.exportOutcome = 'alreadyFinished';
      const response = await post('/hooks/summa/exports', exportText);
      expect(await response.json()).toEqual({ workflowId: 'export/demo/EXP-2026-11-16', status: 'alreadyFinished' });
    });
  });

  describe('status', () => {
    const view: TransferView = {
      workflowId: 'invoice/demo/F-24117',
      tenant: 'demo',
      invoiceId: 'F-24117',
      status: 'NeedsAttention',
      step: 'validateAccounts',
      retries: 0,
      message: 'Konto 3011 finns inte i Fortnox räkenskapsår 2026 — lägg upp kontot och tryck Försök igen',
      fortnoxInvoiceNumber: undefined,
      fortnoxCustomerNumber: undefined,
    };

    it('answers a signed status request with 200 and the transfer view', async () => {
      transfers.views.set(view.workflowId, view);
      const response = await get('/hooks/summa/invoices/demo/F-24117');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ...JSON.parse(JSON.stringify(view)) });
      expect(transfers.callsOf('status')[0]!.args).toEqual(['demo', 'F-24117']);
    });

    it('answers 404 not_found for an invoice that was never sent', async () => {
      const response = await get('/hooks/summa/invoices/demo/F-NEVER');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not_found' });
    });

    it('refuses an unsigned status request with 401 and asks the service nothing', async () => {
      transfers.views.set(view.workflowId, view);
      const response = await get('/hooks/summa/invoices/demo/F-24117', { secret: null });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'missing' });
      expect(transfers.calls).toEqual([]);
    });

    it("refuses a status request signed with another tenant's secret", async () => {
      const response = await get('/hooks/summa/invoices/demo/F-24117', { secret: secrets.other! });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'mismatch' });
    });
  });

  describe('authentication', () => {
    const now = Math.floor(Date.now() / 1000);
    it.each([
      ['no signature', { secret: null }, 'missing'],
      ['a malformed signature', { headers: { 'X-Summa-Signature': 'sha256=abc' } }, 'malformed'],
      ['a signature ten minutes old', { at: now - 600 }, 'expired'],
      ["the other tenant's secret", { secret: secrets.other! }, 'mismatch'],
      ['a secret nobody was given', { secret: 'guessed' }, 'mismatch'],
    ] satisfies [string, SendOptions, string][])('refuses an invoice with %s: 401 and no transfer', async (_case, options, reason) => {
      const response = await post('/hooks/summa/invoices', invoiceText, options);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', reason });
      expect(transfers.calls).toEqual([]);
    });

    it('refuses a body altered after it was signed', async () => {
      const signed = signSummaRequest(secrets.demo!, { method: 'POST', path: '/hooks/summa/invoices', body: invoiceText }, { tenant: 'demo' });
      const altered = invoiceText.replace('"quantity": 2000', '"quantity": 20000');
      const response = await post('/hooks/summa/invoices', altered, { secret: null, headers: { ...signed } });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'mismatch' });
      expect(transfers.calls).toEqual([]);
    });

    it('answers an unknown tenant exactly like a wrong signature, so tenants cannot be enumerated', async () => {
      const body = modifiedInvoice((invoice) => (invoice.tenant = 'nosuchtenant'));
      const response = await post('/hooks/summa/invoices', body);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'mismatch' });
      expect(logs).toContainEqual(expect.objectContaining({ event: 'unknownTenant', tenant: 'nosuchtenant', status: 401 }));
      expect(transfers.calls).toEqual([]);
    });

    it('refuses a body that claims no tenant: 401 without X-Summa-Tenant, 400 naming `tenant` with it', async () => {
      expect((await post('/hooks/summa/invoices', '[1, 2, 3]', { tenant: null })).status).toBe(401);
      const named = await post('/hooks/summa/invoices', '[1, 2, 3]', { tenant: 'demo' });
      expect(named.status).toBe(400);
      expect(await named.json()).toMatchObject({ error: 'invalid_invoice', problems: [{ path: 'tenant' }] });
      expect(transfers.calls).toEqual([]);
    });
  });

  describe('health probe', () => {
    it('answers GET /healthz unsigned: 200 while Temporal answers, 503 when it does not', async () => {
      let up = true;
      const probed = await createHookServer({ transfers, secretFor: (tenant) => secrets[tenant], log: (entry) => logs.push(entry), health: () => Promise.resolve(up) });
      try {
        expect((await fetch(`${probed.url}/healthz`)).status).toBe(200);
        up = false;
        const down = await fetch(`${probed.url}/healthz`);
        expect(down.status).toBe(503);
        expect(await down.json()).toEqual({ status: 'unavailable' });
        expect((await fetch(`${probed.url}/healthz`, { method: 'POST' })).status).toBe(405);
      } finally {
        await probed.close();
      }
      expect(transfers.calls).toEqual([]);
    });
  });

  describe('signatures bound to the request they sign (v2)', () => {
    const v1 = (secret: string, body: string, at = Math.floor(Date.now() / 1000)) => ({
      'X-Summa-Timestamp': String(at),
      'X-Summa-Signature': `v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`,
    });

    it("refuses a captured status GET replayed for another invoice, another tenant's invoice, or as a POST", async () => {
      const captured = signSummaRequest(secrets.demo!, { method: 'GET', path: '/hooks/summa/invoices/demo/F-1', body: '' });
      // Accepted where it was made (404: authenticated, never sent), refused everywhere else.
      expect((await fetch(`${hook.url}/hooks/summa/invoices/demo/F-1`, { headers: captured })).status).toBe(404);
      for (const elsewhere of ['/hooks/summa/invoices/demo/F-2', '/hooks/summa/invoices/other/F-1', '/hooks/summa/invoices/demo/F-1?x=1']) {
        const response = await fetch(`${hook.url}${elsewhere}`, { headers: captured });
        expect(response.status, elsewhere).toBe(401);
        expect(await response.json()).toEqual({ error: 'unauthorized', reason: 'mismatch' });
      }
      const asPost = await fetch(`${hook.url}/hooks/summa/invoices`, { method: 'POST', body: '', headers: { ...captured, 'Content-Type': 'application/json', 'X-Summa-Tenant': 'demo' } });
      expect(asPost.status).toBe(401);
      expect(transfers.calls).toEqual([{ method: 'status', args: ['demo', 'F-1'] }]);
    });

    it('refuses a v1 (body-only) signature on a GET, where it would bind nothing', async () => {
      const response = await fetch(`${hook.url}/hooks/summa/invoices/demo/F-1`, { headers: v1(secrets.demo!, '') });
      expect(response.status).toBe(401);
    });

    it('refuses a POST signature moved to the other POST route', async () => {
      const body = JSON.stringify({ tenant: 'demo', exportId: 'E-1', invoices: [JSON.parse(invoiceText)] });
      const forExports = signSummaRequest(secrets.demo!, { method: 'POST', path: '/hooks/summa/exports', body }, { tenant: 'demo' });
      const moved = await fetch(`${hook.url}/hooks/summa/invoices`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...forExports } });
      expect(moved.status).toBe(401);
      const right = await fetch(`${hook.url}/hooks/summa/exports`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...forExports } });
      expect(right.status).toBe(202);
    });

    it("refuses a body for another tenant under a tenant's own valid signature", async () => {
      const body = modifiedInvoice((invoice) => (invoice.tenant = 'other'));
      const response = await post('/hooks/summa/invoices', body, { tenant: 'demo' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ problems: [{ path: 'tenant', message: expect.stringContaining('X-Summa-Tenant') as unknown }] });
      expect(transfers.calls).toEqual([]);
    });

    it('checks the signature before parsing: a badly signed body that is not even JSON gets 401, not 400', async () => {
      const response = await post('/hooks/summa/invoices', '{not json', { secret: 'guessed', tenant: 'demo' });
      expect(response.status).toBe(401);
    });

    it('still accepts a v1-signed POST without X-Summa-Tenant during the deprecation, and tells the operator once', async () => {
      for (const id of ['V1-1', 'V1-2']) {
        const body = modifiedInvoice((invoice) => (invoice.invoiceId = id));
        const response = await post('/hooks/summa/invoices', body, { secret: null, tenant: null, headers: v1(secrets.demo!, body) });
        expect(response.status).toBe(202);
      }
      expect(transfers.calls).toHaveLength(2);
      expect(logs.filter((entry) => entry.event === 'deprecatedSignature')).toHaveLength(1);
    });
  });

  describe('limits and malformed requests', () => {
    it('refuses a body over 5 MiB with 413 and starts nothing', async () => {
      const padding = 'x'.repeat(5 * 1024 * 1024);
      const response = await post('/hooks/summa/invoices', modifiedInvoice((invoice) => (invoice.remarks = padding)));
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: 'payload_too_large', maxBytes: 5 * 1024 * 1024 });
      expect(transfers.calls).toEqual([]);
    });

    it('refuses an oversized body sent without Content-Length (chunked) with 413 once the limit is passed', async () => {
      const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // 8 MiB in all, streamed: the server must stop reading at 5 MiB, not wait for the end.
          if (sent >= 8 * 1024 * 1024) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${hook.url}/hooks/summa/invoices`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(response.status).toBe(413);
      expect(transfers.calls).toEqual([]);
    });

    it.each([
      ['text that is not JSON', 'tenant=demo&invoiceId=F-1'],
      ['truncated JSON', invoiceText.slice(0, 200)],
      ['an empty body', ''],
      ['bytes that are not UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
    ])('answers %s with 400 invalid_json', async (_case, body) => {
      const response = await post('/hooks/summa/invoices', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_json', problems: [{ path: '(body)', message: expect.stringMatching(/^is not (valid UTF-8|JSON)/) as unknown }] });
      expect(transfers.calls).toEqual([]);
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['JSON in another charset', 'application/json; charset=iso-8859-1'],
      ['no Content-Type', null],
    ])('answers %s with 415', async (_case, contentType) => {
      const response = await post('/hooks/summa/invoices', invoiceText, { contentType });
      expect(response.status).toBe(415);
      expect(transfers.calls).toEqual([]);
    });

    it('answers an unknown path with 404', async () => {
      const response = await post('/hooks/summa/credit-notes', invoiceText);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not_found' });
    });

    it('answers a wrong method with 405 and the allowed one', async () => {
      const onInvoices = await fetch(`${hook.url}/hooks/summa/invoices`);
      expect(onInvoices.status).toBe(405);
      expect(onInvoices.headers.get('allow')).toBe('POST');
      const onStatus = await fetch(`${hook.url}/hooks/summa/invoices/demo/F-1`, { method: 'DELETE' });
      expect(onStatus.status).toBe(405);
      expect(onStatus.headers.get('allow')).toBe('GET');
    });

    it('keeps serving after a client sends half a body and disconnects', async () => {
      await new Promise<void>((resolve, reject) => {
        const { port } = new URL(hook.url);
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write('POST /hooks/summa/invoices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tenant":');
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
        socket.on('error', reject);
      });
      const response = await post('/hooks/summa/invoices', invoiceText);
      expect(response.status).toBe(202);
    });
  });

  describe('contract violations', () => {
    it('answers an invalid invoice with 400 and every problem by field path', async () => {
      const body = modifiedInvoice((invoice) => {
        const rows = invoice.rows as Record<string, unknown>[];
        rows[0]!.account = 30011;
        rows[2]!.vatPercent = 7;
        (invoice.customer as Record<string, unknown>).name = '';
        invoice.dueDate = '2026-11-01';
      });
      const response = await post('/hooks/summa/invoices', body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: string; problems: { path: string; message: string }[] };
      expect(answer.error).toBe('invalid_invoice');
      expect(answer.problems.map((problem) => problem.path).sort()).toEqual(['customer.name', 'rows.0.account', 'rows.2.vatPercent']);
      expect(answer.problems).toContainEqual({ path: 'rows.0.account', message: 'must be a four-digit account' });
      expect(transfers.calls).toEqual([]);
    });

    it('reports cross-field problems once the fields themselves are valid', async () => {
      const response = await post('/hooks/summa/invoices', modifiedInvoice((invoice) => (invoice.dueDate = '2026-11-01')));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_invoice', problems: [{ path: 'dueDate', message: 'must not be before invoiceDate' }] });
    });

    it('answers an export with an invalid invoice with 400, naming the invoice by index', async () => {
      const batch = JSON.parse(exportText) as { invoices: { rows: Record<string, unknown>[] }[] };
      batch.invoices[1]!.rows[0]!.account = 'trettio';
      const response = await post('/hooks/summa/exports', JSON.stringify(batch));
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { problems: { path: string }[] };
      expect(answer.problems.map((problem) => problem.path)).toEqual(['invoices.1.rows.0.account']);
      expect(transfers.calls).toEqual([]);
    });

    it.each([
      ['at the top level', `{"__proto__": {"polluted": true}, ${invoiceText.trim().slice(1)}`, '__proto__'],
      ['inside the customer', invoiceText.replace('"customer": {', '"customer": {"__proto__": {"polluted": true}, '), 'customer.__proto__'],
      ['as constructor.prototype', `{"constructor": {"prototype": {"polluted": true}}, ${invoiceText.trim().slice(1)}`, 'constructor'],
    ])('refuses a prototype-pollution key %s with 400 and pollutes nothing', async (_case, body, problemPath) => {
      const response = await post('/hooks/summa/invoices', body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: string; problems: { path: string }[] };
      expect(answer.error).toBe('invalid_invoice');
      expect(answer.problems.map((problem) => problem.path)).toEqual([problemPath]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(transfers.calls).toEqual([]);
    });
  });

  describe('when the transfer service is unavailable', () => {
    it.each([
      ['an invoice', () => post('/hooks/summa/invoices', invoiceText)],
      ['an export', () => post('/hooks/summa/exports', exportText)],
      ['a status request', () => get('/hooks/summa/invoices/demo/F-24117')],
    ])('answers %s with 503 so Summa retries', async (_case, send) => {
      transfers.failure = new Error('14 UNAVAILABLE: No connection established to 127.0.0.1:7233');
      const response = await send();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: 'unavailable' });
    });

    it('answers 503 when the secret store fails, rather than refusing a genuine sender', async () => {
      const failingSecrets = await createHookServer({
        transfers,
        secretFor: () => {
          throw new Error('secret store unreachable');
        },
        log: (entry) => logs.push(entry),
      });
      try {
        const response = await fetch(`${failingSecrets.url}/hooks/summa/invoices`, {
          method: 'POST',
          body: invoiceText,
          headers: { 'Content-Type': 'application/json', ...signSummaRequest(secrets.demo!, { method: 'POST', path: '/hooks/summa/invoices', body: invoiceText }, { tenant: 'demo' }) },
        });
        expect(response.status).toBe(503);
        expect(logs).toContainEqual(expect.objectContaining({ event: 'secretLookupFailed', status: 503 }));
        expect(transfers.calls).toEqual([]);
      } finally {
        await failingSecrets.close();
      }
    });

    it('logs the failure without the body or the secret', async () => {
      transfers.failure = new Error('14 UNAVAILABLE: No connection established');
      await post('/hooks/summa/invoices', invoiceText);
      expect(logs).toEqual([expect.objectContaining({ level: 'error', event: 'serviceFailed', tenant: 'demo', status: 503, error: expect.stringContaining('UNAVAILABLE') as unknown })]);
      const logged = JSON.stringify(logs);
      expect(logged).not.toContain(secrets.demo);
      expect(logged).not.toContain('Skärgårdsförlaget');
    });
  });
});

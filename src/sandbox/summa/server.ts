import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../../http/listen.js';
import { z } from 'zod';
import { isJsonContentType, parseJsonBody, readBody, refuseTooLarge, sendJson, singleHeader } from '../../http/json-requests.js';
import { summaWriteBackSchema } from '../../summa/write-back.js';
import { fieldProblems, tenantKeySchema } from '../../summa/invoice-contract.js';
import { SUMMA_SIGNATURE_HEADER, SUMMA_TIMESTAMP_HEADER, verifySummaSignature } from '../../summa/signature.js';
import { SummaSandboxState } from './state.js';

/*
 * A stand-in for Summa's side of the write-back, for demo mode and tests: a real HTTP server that checks
 * signatures and bodies the way Summa does, remembers what it was told, and can be made briefly unavailable.
 *
 *   PUT    /invoices/<invoiceId>/fortnox   the write-back: 204, or 401 / 400 / 413 / 415
 *   GET    /sandbox/state[?tenant=]        { updates: [...], invoices: { "<tenant>/<invoiceId>": latest } }
 *   POST   /sandbox/reset                  forget everything, faults included
 *   POST   /sandbox/faults                 { kind: 'status', status: 500 | 503 | …, count } — answer the next
 *                                          `count` write-backs with that status
 *   DELETE /sandbox/faults
 *
 * The control API is unauthenticated: the sandbox listens on 127.0.0.1 only by default.
 */

export interface SummaSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port (see `url`). */
  port?: number;
  /** The tenant's shared secret, or undefined for a tenant this Summa does not know. */
  secretFor: (tenant: string) => string | undefined;
  /** The clock, in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

export interface SummaSandbox {
  url: string;
  close(): Promise<void>;
}

/** A write-back is a few hundred bytes; anything near this is a mistake. */
const MAX_BODY_BYTES = 64 * 1024;

const faultSchema = z.strictObject({
  kind: z.literal('status'),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  count: z.number().int().min(1).max(1000).default(1),
});

const WRITE_BACK_PATH = /^\/invoices\/([^/]+)\/fortnox$/;

export async function startSummaSandbox(options: SummaSandboxOptions): Promise<SummaSandbox> {
  const state = new SummaSandboxState();
  const now = options.now ?? Date.now;

  async function writeBack(request: IncomingMessage, response: ServerResponse, pathInvoiceId: string): Promise<void> {
    if (!isJsonContentType(singleHeader(request, 'content-type'))) return sendJson(response, 415, { error: 'unsupported_media_type' });
    const read = await readBody(request, MAX_BODY_BYTES);
    if (read.kind === 'aborted') return;
    if (read.kind === 'tooLarge') return refuseTooLarge(request, response, { error: 'payload_too_large' });
    // Like a Summa that is down: whatever was sent, the answer is the fault's status.
    const fault = state.takeFault();
    if (fault !== undefined) return sendJson(response, fault, { error: 'sandbox_fault', status: fault });

    const parsed = parseJsonBody(read.body);
    if (!parsed.ok) return sendJson(response, 400, { error: 'invalid_json' });
    const claimed = typeof parsed.value === 'object' && parsed.value !== null && Object.hasOwn(parsed.value, 'tenant') ? (parsed.value as { tenant: unknown }).tenant : undefined;
    const tenant = tenantKeySchema.safeParse(claimed);
    const secret = tenant.success ? options.secretFor(tenant.data) : undefined;
    if (secret === undefined || secret === '') return sendJson(response, 401, { error: 'unauthorized', reason: 'mismatch' });
    const check = verifySummaSignature({
      secret,
      // Like a Summa that has moved to v2: the signature must be for this method and this path.
      request: { method: request.method ?? '', path: request.url ?? '', body: read.body },
      timestampHeader: singleHeader(request, SUMMA_TIMESTAMP_HEADER),
      signatureHeader: singleHeader(request, SUMMA_SIGNATURE_HEADER),
      nowSeconds: Math.floor(now() / 1000),
    });
    if (!check.ok) return sendJson(response, 401, { error: 'unauthorized', reason: check.reason });

    const update = summaWriteBackSchema.safeParse(parsed.value);
    if (!update.success) return sendJson(response, 400, { error: 'invalid_update', problems: fieldProblems(update.error) });
    if (update.data.invoiceId !== pathInvoiceId) {
      return sendJson(response, 400, { error: 'invalid_update', problems: [{ path: 'invoiceId', message: 'must be the invoice id in the URL' }] });
    }
    state.record({ ...update.data, receivedAt: new Date(now()).toISOString() });
    sendJson(response, 204);
  }

  async function control(request: IncomingMessage, response: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = request.method ?? '';
    if (path === '/sandbox/state' && method === 'GET') return sendJson(response, 200, state.snapshot(query.get('tenant') ?? undefined));
    if (path === '/sandbox/reset' && method === 'POST') {
      state.reset();
      return sendJson(response, 204);
    }
    if (path === '/sandbox/faults' && method === 'DELETE') {
      state.clearFaults();
      return sendJson(response, 204);
    }
    if (path === '/sandbox/faults' && method === 'POST') {
      const read = await readBody(request, MAX_BODY_BYTES);
      if (read.kind !== 'ok') return sendJson(response, 400, { error: 'invalid_fault' });
      const parsed = parseJsonBody(read.body);
      const fault = faultSchema.safeParse(parsed.ok ? parsed.value : undefined);
      if (!fault.success) return sendJson(response, 400, { error: 'invalid_fault', problems: fieldProblems(fault.error) });
      state.addFault(fault.data);
      return sendJson(response, 204);
    }
    const known = ['/sandbox/state', '/sandbox/reset', '/sandbox/faults'].includes(path);
    return sendJson(response, known ? 405 : 404, { error: known ? 'method_not_allowed' : 'not_found' });
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const writeBackPath = WRITE_BACK_PATH.exec(url.pathname);
    if (writeBackPath?.[1] !== undefined) {
      if (request.method !== 'PUT') return sendJson(response, 405, { error: 'method_not_allowed' }, { Allow: 'PUT' });
      return writeBack(request, response, decodeURIComponent(writeBackPath[1]));
    }
    if (url.pathname.startsWith('/sandbox/')) return control(request, response, url.pathname, url.searchParams);
    return sendJson(response, 404, { error: 'not_found' });
  }

  const server = createServer((request, response) => {
    route(request, response).catch(() => {
      // A URL that does not parse or decode; everything else is answered on purpose.
      sendJson(response, 400, { error: 'bad_request' });
    });
  });
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

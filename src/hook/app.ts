import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { fieldProblems, invoiceIdSchema, summaExportSchema, summaInvoiceSchema, tenantKeySchema, type FieldProblem } from '../summa/invoice-contract.js';
import { SUMMA_SIGNATURE_HEADER, SUMMA_TENANT_HEADER, SUMMA_TIMESTAMP_HEADER, verifySummaSignature, type SignatureFailureReason } from '../summa/signature.js';
import type { TransferService } from '../transfer/index.js';
import { redactSecrets } from '../log/redact.js';
import { countHookRequest } from '../metrics/meter.js';
import { isJsonContentType, parseJsonBody, readBody, refuseTooLarge, sendJson, singleHeader } from '../http/json-requests.js';

/** Largest accepted request body: 5 MiB, room for an export of a few hundred invoices. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** One line for the operator's log. Never holds a body, a header value or a secret. */
export interface HookLogEntry {
  level: 'info' | 'warn' | 'error';
  event: 'rejected' | 'unknownTenant' | 'deprecatedSignature' | 'serviceFailed' | 'secretLookupFailed' | 'unexpected';
  method: string;
  route: string;
  status: number;
  /** The tenant the request claimed, when it is a well-formed tenant key (so logs cannot be injected into). */
  tenant?: string;
  reason?: string;
  error?: string;
}

/** The part of the transfer service the hook uses: nothing that retries or cancels. */
export type HookTransfers = Pick<TransferService, 'transfer' | 'export' | 'status'>;

export interface HookAppOptions {
  /** Only what Summa's hook may ask: start transfers and exports, read a transfer's status. */
  transfers: HookTransfers;
  /** The tenant's shared HMAC secret, or undefined for a tenant we do not serve. */
  secretFor: (tenant: string) => string | undefined;
  /** Largest accepted body in bytes; default 5 MiB. */
  maxBodyBytes?: number;
  /** The clock, in milliseconds since the epoch (like `Date.now`); default `Date.now`. */
  now?: () => number;
  /** Accepted clock difference for signatures, in seconds; default 300. */
  toleranceSeconds?: number;
  /**
   * Whether what the hook needs is reachable (Temporal), for `GET /healthz`: 200 when it answers true, 503
   * otherwise. Without it, /healthz only says that the process serves HTTP.
   */
  health?: () => Promise<boolean>;
  /** Where rejections and failures are reported; default one JSON line on stderr each. */
  log?: (entry: HookLogEntry) => void;
}

type Route =
  | { name: 'invoice'; method: 'POST' }
  | { name: 'export'; method: 'POST' }
  | { name: 'status'; method: 'GET'; tenant: string; invoiceId: string };

const STATUS_PATH = /^\/hooks\/summa\/invoices\/([^/]+)\/([^/]+)$/;

function matchRoute(url: string | undefined): Route | undefined {
  const path = (url ?? '').split('?', 1)[0];
  if (path === '/hooks/summa/invoices') return { name: 'invoice', method: 'POST' };
  if (path === '/hooks/summa/exports') return { name: 'export', method: 'POST' };
  const status = STATUS_PATH.exec(path ?? '');
  if (status?.[1] !== undefined && status[2] !== undefined) return { name: 'status', method: 'GET', tenant: status[1], invoiceId: status[2] };
  return undefined;
}

/** The route's name in logs: the template, not the path, so ids do not end up in log keys. */
const ROUTE_NAMES: Record<Route['name'], string> = {
  invoice: 'POST /hooks/summa/invoices',
  export: 'POST /hooks/summa/exports',
  status: 'GET /hooks/summa/invoices/:tenant/:invoiceId',
};

function defaultLog(entry: HookLogEntry): void {
  // `error` holds a dependency's message (Temporal's client): masked in case it ever echoes a credential.
  console.error(redactSecrets(JSON.stringify({ at: new Date().toISOString(), component: 'hook', ...entry })));
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 300);
}

/** Raised when looking up a secret fails (not: finds none), so the request is answered 503 and Summa retries. */
class SecretLookupError extends Error {
  override readonly name = 'SecretLookupError';
}

/**
 * The request handler for Summa's hook. Every request is answered — with a JSON body and a status Summa can act
 * on (2xx done, 4xx fix the request, 503 retry later) — whatever it contains; nothing it sends can make us answer
 * 500 or leave the socket hanging.
 */
export function createHookHandler(options: HookAppOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const { transfers, secretFor } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  // A claimed tenant we do not serve is checked against a secret nobody has, so its answer is that of a wrong
  // signature: the reason code does not tell an attacker which tenants exist.
  const noTenantSecret = randomBytes(32).toString('hex');

  type Authentication = { ok: true; tenant: string } | { ok: false; reason: SignatureFailureReason; tenant: string | undefined; knownTenant: boolean };

  // Tenants whose sender still signs v1 (body only), told to the operator once per process each.
  const onV1 = new Set<string>();

  /** Checks the signature of `request` for the `claimed` tenant; v1 only where `acceptV1` (POST bodies). */
  function authenticate(claimed: unknown, rawBody: Buffer, request: IncomingMessage, acceptV1: boolean): Authentication {
    const key = tenantKeySchema.safeParse(claimed);
    const tenant = key.success ? key.data : undefined;
    let secret: string | undefined;
    if (tenant !== undefined) {
      try {
        secret = secretFor(tenant);
      } catch (error) {
        throw new SecretLookupError(describeError(error));
      }
    }
    const knownTenant = secret !== undefined && secret !== '';
    const check = verifySummaSignature({
      secret: knownTenant && secret !== undefined ? secret : noTenantSecret,
      request: { method: request.method ?? '', path: request.url ?? '', body: rawBody },
      timestampHeader: singleHeader(request, SUMMA_TIMESTAMP_HEADER),
      signatureHeader: singleHeader(request, SUMMA_SIGNATURE_HEADER),
      acceptV1,
      nowSeconds: Math.floor(now() / 1000),
      ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
    });
    if (check.ok && tenant !== undefined) {
      if (check.scheme === 'v1' && !onV1.has(tenant)) {
        onV1.add(tenant);
        log({ level: 'info', event: 'deprecatedSignature', method: request.method ?? '', route: ROUTE_NAMES[matchRoute(request.url)?.name ?? 'invoice'], status: 202, tenant, reason: 'v1 signature (body only): sign v2 with X-Summa-Tenant' });
      }
      return { ok: true, tenant };
    }
    return { ok: false, reason: check.ok ? 'mismatch' : check.reason, tenant, knownTenant };
  }

  async function handle(request: IncomingMessage, response: ServerResponse, route: Route): Promise<void> {
    const method = request.method ?? '';
    const routeName = ROUTE_NAMES[route.name];
    const reject = (status: number, body: Record<string, unknown>, extra: Partial<HookLogEntry> = {}) => {
      log({ level: 'warn', event: 'rejected', method, route: routeName, status, reason: String(body.reason ?? body.error), ...extra });
      sendJson(response, status, body);
    };
    const unavailable = (error: unknown, tenant: string) => {
      log({ level: 'error', event: 'serviceFailed', method, route: routeName, status: 503, tenant, error: describeError(error) });
      sendJson(response, 503, { error: 'unavailable' });
    };
    const unauthorized = (auth: Authentication): auth is Extract<Authentication, { ok: false }> => {
      if (auth.ok) return false;
      // The log tells the operator the real cause; the answer only the reason code.
      log({
        level: 'warn',
        event: auth.knownTenant ? 'rejected' : 'unknownTenant',
        method,
        route: routeName,
        status: 401,
        reason: auth.reason,
        ...(auth.tenant === undefined ? {} : { tenant: auth.tenant }),
      });
      sendJson(response, 401, { error: 'unauthorized', reason: auth.reason });
      return true;
    };

    if (route.name === 'status') {
      const auth = authenticate(route.tenant, Buffer.alloc(0), request, false);
      if (unauthorized(auth)) return;
      if (!invoiceIdSchema.safeParse(route.invoiceId).success) return sendJson(response, 404, { error: 'not_found' });
      let view;
      try {
        view = await transfers.status(route.tenant, route.invoiceId);
      } catch (error) {
        return unavailable(error, auth.tenant);
      }
      if (view === undefined) return sendJson(response, 404, { error: 'not_found' });
      return sendJson(response, 200, view);
    }

    if (!isJsonContentType(singleHeader(request, 'content-type'))) {
      return reject(415, { error: 'unsupported_media_type', expected: 'application/json' });
    }
    const read = await readBody(request, maxBodyBytes);
    if (read.kind === 'aborted') return;
    if (read.kind === 'tooLarge') {
      log({ level: 'warn', event: 'rejected', method, route: routeName, status: 413, reason: 'payload_too_large' });
      return refuseTooLarge(request, response, { error: 'payload_too_large', maxBytes: maxBodyBytes });
    }
    // v2 names the tenant in a header: the signature is checked before the body is parsed, so a request that fails it
    // costs no JSON parse, and only a caller holding the tenant's secret learns what is wrong with a body. Without
    // the header (senders still on v1) the tenant can only be read from the parsed body.
    const named = singleHeader(request, SUMMA_TENANT_HEADER);
    const early = named === undefined ? undefined : authenticate(named, read.body, request, false);
    if (early !== undefined && unauthorized(early)) return;
    const parsed = parseJsonBody(read.body);
    if (!parsed.ok && parsed.problem === 'invalidJson') return reject(400, { error: 'invalid_json', problems: parsed.problems satisfies FieldProblem[] });
    if (!parsed.ok) return reject(400, { error: 'invalid_invoice', problems: parsed.problems satisfies FieldProblem[] });
    const auth = early ?? authenticate(claimedTenant(parsed.value), read.body, request, true);
    if (unauthorized(auth)) return;
    const tenant = auth.tenant;
    if (claimedTenant(parsed.value) !== tenant) {
      return reject(400, { error: 'invalid_invoice', problems: [{ path: 'tenant', message: `must be ${tenant}, the tenant in ${SUMMA_TENANT_HEADER}` }] }, { tenant });
    }

    if (route.name === 'invoice') {
      const invoice = summaInvoiceSchema.safeParse(parsed.value);
      if (!invoice.success) return invalid(invoice.error);
      try {
        const started = await transfers.transfer(invoice.data);
        return sendJson(response, 202, { workflowId: started.workflowId, status: started.outcome });
      } catch (error) {
        return unavailable(error, tenant);
      }
    }

    const batch = summaExportSchema.safeParse(parsed.value);
    if (!batch.success) return invalid(batch.error);
    try {
      const started = await transfers.export(batch.data);
      return sendJson(response, 202, { workflowId: started.workflowId, status: started.outcome });
    } catch (error) {
      return unavailable(error, tenant);
    }

    function invalid(error: z.ZodError): void {
      reject(400, { error: 'invalid_invoice', problems: fieldProblems(error) }, { tenant });
    }
  }

  return (request, response) => {
    const probe = (request.url ?? '').split('?', 1)[0] === '/healthz';
    const route = probe ? undefined : matchRoute(request.url);
    response.once('finish', () => countHookRequest(probe ? 'healthz' : (route?.name ?? 'other'), response.statusCode));
    // The probe of a load balancer or Kubernetes: unsigned, and it tells nothing but up or down.
    if (probe) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
      const probe = options.health?.() ?? Promise.resolve(true);
      probe.then(
        (up) => sendJson(response, up ? 200 : 503, { status: up ? 'ok' : 'unavailable' }),
        () => sendJson(response, 503, { status: 'unavailable' }),
      );
      return;
    }
    if (route === undefined) return sendJson(response, 404, { error: 'not_found' });
    if (request.method !== route.method) return sendJson(response, 405, { error: 'method_not_allowed' }, { Allow: route.method });
    handle(request, response, route).catch((error: unknown) => {
      const method = request.method ?? '';
      if (error instanceof SecretLookupError) {
        log({ level: 'error', event: 'secretLookupFailed', method, route: ROUTE_NAMES[route.name], status: 503, error: error.message });
        return sendJson(response, 503, { error: 'unavailable' });
      }
      // A bug of ours, not the sender's: the one case that answers 500.
      log({ level: 'error', event: 'unexpected', method, route: ROUTE_NAMES[route.name], status: 500, error: describeError(error) });
      sendJson(response, 500, { error: 'internal' });
    });
  };
}

/** The `tenant` a parsed body claims, read without trusting the body's shape. */
function claimedTenant(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, 'tenant')) return undefined;
  return (value as { tenant: unknown }).tenant;
}

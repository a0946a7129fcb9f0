import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHookServer, type HookLogEntry, type HookServer } from '../../src/hook/index.js';
import { MAX_JSON_DEPTH } from '../../src/http/json-requests.js';
import { summaExportSchema, summaInvoiceSchema } from '../../src/summa/invoice-contract.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import type { TransferService } from '../../src/transfer/index.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, TEST_SECRET, type Pipeline } from '../helpers/pipeline.js';
import { byteDamageArbitrary, damage, mutate, mutationArbitrary, serialise, validInvoiceArbitrary } from './arbitraries.js';

/*
 * 10,000 random and mutated bodies, signed with the tenant's secret, over real HTTP to a real hook server whose
 * transfer service is the real one on the run's Temporal dev server (no worker polls its task queue, so a started
 * workflow stays visible and harmless). Each answer is compared with an oracle written here from docs/summa.md's
 * rules, not taken from the server:
 *
 *   content type not JSON in UTF-8                      → 415
 *   body over 5 MiB                                     → 413
 *   not UTF-8, or not JSON                              → 400 invalid_json, problem at (body)
 *   JSON with a forbidden key (__proto__, constructor,
 *   prototype), a lone surrogate, or nested deeper
 *   than MAX_JSON_DEPTH                                 → 400 invalid_invoice
 *   no own "tenant": "demo" at the top                  → 401 (the signature is checked against that tenant)
 *   fails the contract's schema (the route's)           → 400 invalid_invoice
 *   passes it                                           → 202, and exactly one call of the transfer service
 *
 * Field-path rule for every 400 invalid_invoice: `problems` is a non-empty array of { path, message } with
 * non-empty strings; each path is "(body)" only when the body is not a JSON object, and otherwise a dotted path
 * (`rows.2.vatPercent`) whose parent — everything before the last segment — is an object or array in the body as
 * sent (so it names a field that was sent, or a required one missing from something that was sent). Keys may hold
 * dots, so the path is matched against the body's keys rather than split blindly.
 *
 * Duplicate keys are not refused: JSON.parse keeps the last, the oracle parses the same way, and the signature
 * covers the raw bytes, so no second reader can see another value. They are sent to check that nothing breaks.
 *
 * fast-check picks a new seed each run and prints it with the shrunk counterexample on failure; to replay, pass the
 * printed `{ seed, path }` as the fc.assert parameters.
 */

const RUNS = 10_000;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const ANSWER_TIMEOUT_MS = 10_000;

type Route = '/hooks/summa/invoices' | '/hooks/summa/exports';

/** Content types and whether the hook must take them as JSON in UTF-8. */
const CONTENT_TYPES: readonly [string | undefined, boolean][] = [
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['Application/JSON; Charset="UTF-8"', true],
  ['application/json; boundary=x', true],
  ['text/plain', false],
  ['application/json; charset=iso-8859-1', false],
  ['application/x-www-form-urlencoded', false],
  ['application/jsonx', false],
  ['', false],
  [undefined, false],
];

interface Request {
  route: Route;
  body: Buffer;
  contentType: [string | undefined, boolean];
  label: string;
}

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(sequence += 1)}`;

/** A valid invoice as JSON: the helper's, or a random one; each gets an id of its own. */
const baseInvoice: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant(null).map(() => JSON.parse(JSON.stringify(anInvoice())) as Record<string, unknown>),
  validInvoiceArbitrary().map((invoice) => ({ ...(summaInvoiceSchema.parse(invoice) as Record<string, unknown>), invoiceId: unique('FZ') })),
);

const withTenant = (value: unknown, inject: boolean): unknown =>
  inject && value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, tenant: 'demo' } : value;

const jsonContentType = fc.constantFrom(...CONTENT_TYPES.filter(([, ok]) => ok));
const anyContentType = fc.oneof({ weight: 9, arbitrary: jsonContentType }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
const route = fc.constantFrom<Route>('/hooks/summa/invoices', '/hooks/summa/exports');

/** Shows a request in a failure report as its route, content type and (the start of) its body, not a byte dump. */
function printable(request: Request): Request {
  const shown = () => {
    const text = request.body.toString('utf8');
    const head = text.length > 600 ? `${text.slice(0, 600)}… (${request.body.length} bytes)` : text;
    return `${request.label} → ${request.route} [${String(request.contentType[0])}] ${JSON.stringify(head)}`;
  };
  return Object.assign(request, { [fc.toStringMethod]: shown });
}

const requestArbitrary: fc.Arbitrary<Request> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ base: baseInvoice, mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), damage: byteDamageArbitrary, contentType: anyContentType })
      .map(({ base, mutations, damage: how, contentType }) => ({
        route: '/hooks/summa/invoices' as const,
        body: damage(serialise(mutate(base, mutations)) ?? '', how),
        contentType,
        label: `mutated invoice (${mutations.map((m) => m.op).join(', ')}; ${how.kind})`,
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        invoices: fc.array(baseInvoice, { minLength: 1, maxLength: 3 }),
        mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
        damage: byteDamageArbitrary,
        contentType: anyContentType,
      })
      .map(({ invoices, mutations, damage: how, contentType }) => ({
        route: '/hooks/summa/exports' as const,
        body: damage(serialise(mutate({ tenant: 'demo', exportId: unique('FZX'), invoices }, mutations)) ?? '', how),
        contentType,
        label: `mutated export (${mutations.map((m) => m.op).join(', ')}; ${how.kind})`,
      })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ route, value: fc.jsonValue(), inject: fc.boolean(), contentType: jsonContentType }).map(({ route: to, value, inject, contentType }) => ({
      route: to,
      body: Buffer.from(serialise(withTenant(value, inject)) ?? ''),
      contentType,
      label: 'random JSON',
    })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ route, value: fc.anything(), inject: fc.boolean(), contentType: jsonContentType }).map(({ route: to, value, inject, contentType }) => {
      let text: string | undefined;
      try {
        text = serialise(withTenant(value, inject));
      } catch {
        text = String(value);
      }
      return { route: to, body: Buffer.from(text ?? ''), contentType, label: 'anything, serialised' };
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ route, bytes: fc.uint8Array({ maxLength: 300 }), contentType: anyContentType })
      .map(({ route: to, bytes, contentType }) => ({ route: to, body: Buffer.from(bytes), contentType, label: 'raw bytes' })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ route, contentType: anyContentType }).map(({ route: to, contentType }) => ({ route: to, body: Buffer.alloc(0), contentType, label: 'empty body' })),
  },
).map(printable);

/* ---------------------------------------------------------------------------------------------------------------- */

type Expected =
  | { status: 415 | 413 | 401 }
  | { status: 400; error: 'invalid_json' }
  | { status: 400; error: 'invalid_invoice'; value: unknown }
  | { status: 202; value: unknown };

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const LONE_SURROGATE = /\p{Cs}/u;

/** True when the parsed value holds a forbidden key, a lone surrogate, or nesting deeper than the limit. Iterative. */
function hostile(root: unknown): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const { value, depth } = node;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return true;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const keys = Object.keys(value);
    if (keys.length > 0 && depth >= MAX_JSON_DEPTH) return true;
    for (const key of keys) {
      if (FORBIDDEN.has(key) || LONE_SURROGATE.test(key)) return true;
      pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return false;
}

function oracle(request: Request): Expected {
  if (!request.contentType[1]) return { status: 415 };
  if (request.body.length > MAX_BODY_BYTES) return { status: 413 };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(request.body));
  } catch {
    return { status: 400, error: 'invalid_json' };
  }
  if (hostile(value)) return { status: 400, error: 'invalid_invoice', value };
  const claimsDemo = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, 'tenant') && (value as { tenant: unknown }).tenant === 'demo';
  if (!claimsDemo) return { status: 401 };
  const valid = request.route === '/hooks/summa/invoices' ? summaInvoiceSchema.safeParse(value).success : summaExportSchema.safeParse(value).success;
  return valid ? { status: 202, value } : { status: 400, error: 'invalid_invoice', value };
}

/** Whether `path` (dotted; keys may hold dots) runs through the body's objects and arrays to a field or a missing key of one. */
function pathNamesSentField(root: unknown, path: string): boolean {
  if (path === '(body)') return root === null || typeof root !== 'object' || Array.isArray(root);
  const walk = (value: unknown, rest: string): boolean => {
    if (value === null || typeof value !== 'object') return false;
    // The last segment: a key of this container, sent or not.
    if (!rest.includes('.') || Object.hasOwn(value, rest)) return true;
    const keys = Array.isArray(value) ? value.map((_, index) => String(index)) : Object.keys(value);
    return keys.some((key) => rest.startsWith(`${key}.`) && walk((value as Record<string, unknown>)[key], rest.slice(key.length + 1)));
  };
  return walk(root, path);
}

/* ---------------------------------------------------------------------------------------------------------------- */

/** The real transfer service, counting what the hook asks of it. */
function counting(service: TransferService) {
  const started: string[] = [];
  let calls = 0;
  const wrapped: TransferService = {
    ...service,
    async transfer(invoice) {
      calls += 1;
      const result = await service.transfer(invoice);
      started.push(result.workflowId);
      return result;
    },
    async export(request) {
      calls += 1;
      const result = await service.export(request);
      started.push(result.workflowId);
      return result;
    },
  };
  return { service: wrapped, started, calls: () => calls };
}

interface Answer {
  status: number;
  text: string;
}

const prototypeSnapshot = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) => Object.getOwnPropertyNames(proto).sort().join(',')).join('|');

describe('the hook under 10,000 random and mutated bodies', () => {
  let pipeline: Pipeline;
  let hook: HookServer;
  let counted: ReturnType<typeof counting>;
  const logs: HookLogEntry[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    pipeline = await startPipeline({ worker: false });
    counted = counting(pipeline.service);
    hook = await createHookServer({ transfers: counted.service, secretFor: (tenant) => (tenant === 'demo' ? TEST_SECRET : undefined), log: (entry) => logs.push(entry) });
  });
  afterAll(async () => {
    agent.destroy();
    await hook?.close();
    if (pipeline !== undefined) {
      const running: string[] = [];
      for await (const workflow of pipeline.client.workflow.list({ query: `TaskQueue = "${pipeline.taskQueue}" AND ExecutionStatus = "Running"` })) running.push(workflow.workflowId);
      for (let index = 0; index < running.length; index += 20) {
        await Promise.all(running.slice(index, index + 20).map((id) => pipeline.client.workflow.getHandle(id).terminate('fuzz test done')));
      }
      await pipeline.stop();
    }
  });

  function send(request: Request): Promise<Answer> {
    const { port } = new URL(hook.url);
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port,
          path: request.route,
          method: 'POST',
          agent,
          headers: {
            ...(request.contentType[0] === undefined ? {} : { 'Content-Type': request.contentType[0] }),
            'Content-Length': String(request.body.length),
            ...signSummaRequest(TEST_SECRET, { method: 'POST', path: request.route, body: request.body }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          response.on('error', reject);
        },
      );
      const timer = setTimeout(() => {
        outgoing.destroy();
        reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms: the hook hangs`));
      }, ANSWER_TIMEOUT_MS);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end(request.body);
    });
  }

  it(
    'answers every body with the 4xx the rules give (202 only for a valid one), names a sent field for each problem, starts nothing for a bad one and pollutes no prototype',
    async () => {
      const prototypes = prototypeSnapshot();
      const tally = new Map<string, number>();
      let valid = 0;
      await fc.assert(
        fc.asyncProperty(requestArbitrary, async (request) => {
          const expected = oracle(request);
          const callsBefore = counted.calls();
          const answer = await send(request);
          const key = `${answer.status}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);

          expect(answer.status, `${request.label}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
          expect(answer.status, `${request.label}: ${answer.text.slice(0, 300)}`).toBe(expected.status);
          expect(prototypeSnapshot()).toBe(prototypes);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(counted.calls() - callsBefore, 'transfer-service calls').toBe(expected.status === 202 ? 1 : 0);

          const json = JSON.parse(answer.text) as { error?: unknown; problems?: unknown; workflowId?: unknown };
          if (expected.status === 202) valid += 1;
          if (expected.status !== 400) return;
          expect(json.error).toBe(expected.error);
          const problems = json.problems as { path: unknown; message: unknown }[];
          expect(Array.isArray(problems) && problems.length > 0, `problems in ${answer.text.slice(0, 300)}`).toBe(true);
          for (const problem of problems) {
            expect(typeof problem.message === 'string' && problem.message.length > 0).toBe(true);
            expect(typeof problem.path).toBe('string');
            expect(pathNamesSentField(expected.error === 'invalid_json' ? undefined : expected.value, problem.path as string), `"${String(problem.path).slice(0, 200)}" in ${request.label}`).toBe(true);
          }
        }),
        {
          numRuns: RUNS,
          // Run first on every seed: the cases a random draw reaches rarely or never.
          examples: [
            [printable({ route: '/hooks/summa/invoices', body: Buffer.from(JSON.stringify({ ...anInvoice(), remarks: 'x'.repeat(MAX_BODY_BYTES) })), contentType: ['application/json', true], label: 'over 5 MiB' })],
            [printable({ route: '/hooks/summa/invoices', body: Buffer.from(`{"tenant":"demo","rows":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), contentType: ['application/json', true], label: '10,000 levels deep' })],
            [printable({ route: '/hooks/summa/exports', body: Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), contentType: ['application/json', true], label: 'overlong UTF-8' })],
            [printable({ route: '/hooks/summa/invoices', body: Buffer.from(`{"tenant":"demo","rows":1e400,"tenant":"demo"}`), contentType: ['application/json', true], label: '1e400 and a duplicate key' })],
          ],
        },
      );
      console.info(`hook fuzz: ${RUNS} bodies, answers ${JSON.stringify(Object.fromEntries(tally))}, ${valid} valid`);
      expect(logs.filter((entry) => entry.event === 'unexpected')).toEqual([]);

      // Temporal holds exactly the workflows the valid bodies started, and nothing else on this test's task queue.
      const startedIds = [...new Set(counted.started)].sort();
      const query = `TaskQueue = "${pipeline.taskQueue}"`;
      const deadline = Date.now() + 20_000;
      let seen: string[] = [];
      do {
        seen = [];
        for await (const workflow of pipeline.client.workflow.list({ query })) seen.push(workflow.workflowId);
        seen.sort();
        if (seen.length >= startedIds.length) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      } while (Date.now() < deadline);
      expect(seen).toEqual(startedIds);
      expect(counted.started.length).toBe(valid);
    },
    300_000,
  );
});

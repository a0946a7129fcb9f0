// Request bodies checked against Fortnox's official OpenAPI file (the subset in openapi-subset.json), plus the
// strictness the file leaves out. The same checker serves the sandbox (which answers the first problem as a
// Fortnox error) and the client's tests (validateFortnoxRequestBody, which lists every problem).
//
// What the official file does not say, and what is added here:
// - The file has no additionalProperties:false, but Fortnox answers an unknown field with 2001399 "Felaktigt
//   fältnamn" (reference/fortnox-api.md §3.3), so unknown fields are problems. Keys are looked up as own
//   properties only, so `__proto__` and `constructor` are unknown fields like any other.
// - Read-only fields. Fortnox does not document whether a read-only field in a request is ignored or rejected
//   (§6 item 6). The sandbox ignores it (the less surprising choice for a client that echoes a GET back);
//   validateFortnoxRequestBody reports it, because Fortnox may reject it and the safe client does not send it.
//   Read-only means: in the response schema but not in the payload schema (invoices, invoice rows, accounts),
//   or named read-only by the sources where the file uses one schema for both (customer Country, derived
//   from CountryCode per [VCR-26]; DeliveryCountry/VisitingCountry per softwerkab's SDK; @url; FinancialYear Id).
// - Overrides where Fortnox behaves differently from the file: see `overrides` below.
// - `""` means "not provided" and "API_BLANK" means "clear it" (§4.0), so neither is checked against length,
//   enum or format limits. A required field given as `""` counts as missing.
// - `null` is a type error: Fortnox's advice is never to send null (§6 item 6).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isIsoDate } from './dates.js';

type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'x-decimal' | 'x-sales-account' | 'x-row-account';

interface SchemaNode {
  $ref?: string | undefined;
  type?: string | undefined;
  format?: string | undefined;
  properties?: Record<string, SchemaNode> | undefined;
  required?: string[] | undefined;
  maxLength?: number | undefined;
  minLength?: number | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
  enum?: (string | number)[] | undefined;
  items?: SchemaNode | undefined;
}

const schemaNode: z.ZodType<SchemaNode> = z.lazy(() =>
  z.object({
    $ref: z.string().optional(),
    type: z.string().optional(),
    format: z.string().optional(),
    properties: z.record(z.string(), schemaNode).optional(),
    required: z.array(z.string()).optional(),
    maxLength: z.number().optional(),
    minLength: z.number().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
    items: schemaNode.optional(),
  }),
);

const parameterSchema = z.object({ name: z.string(), in: z.string(), schema: schemaNode.optional() });
const operationSchema = z.object({
  parameters: z.array(parameterSchema).optional(),
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: schemaNode })) }).optional(),
});
const specSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ schemas: z.record(z.string(), schemaNode) }),
});

/** A schema with its $refs resolved lazily and its properties in a Map (no prototype lookups). */
interface Schema {
  name: string | undefined;
  type: SchemaType | undefined;
  format: string | undefined;
  properties: Map<string, SchemaNode>;
  required: Set<string>;
  readOnly: Set<string>;
  maxLength: number | undefined;
  minLength: number | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  enum: (string | number)[] | undefined;
  items: SchemaNode | undefined;
}

export interface Operation {
  method: string;
  pathTemplate: string;
  queryParameters: Map<string, SchemaNode | undefined>;
  body: SchemaNode | undefined;
}

const rawSpec = specSchema.parse(JSON.parse(readFileSync(new URL('./openapi-subset.json', import.meta.url), 'utf8')));
const components = new Map(Object.entries(rawSpec.components.schemas));

/** Read-only fields per payload schema, beyond the ones derived from response ⊄ payload. */
const declaredReadOnly: Record<string, string[]> = {
  fortnox_Customer: ['@url', 'Country', 'DeliveryCountry', 'VisitingCountry'],
  fortnox_CostCenter: ['@url'],
  fortnox_Project: ['@url'],
  fortnox_FinancialYear: ['@url', 'Id'],
  fortnox_Currency: ['@url'],
  fortnox_TermsOfPayment: ['@url'],
  fortnox_Unit: ['@url'],
  // softwerkab's SDK marks these [ReadOnly] (Entities/Invoice Payments/InvoicePayment.cs).
  fortnox_InvoicePayment: [
    '@url',
    'Booked',
    'Currency',
    'CurrencyUnit',
    'ExternalInvoiceReference1',
    'ExternalInvoiceReference2',
    'InvoiceCustomerName',
    'InvoiceCustomerNumber',
    'InvoiceDueDate',
    'InvoiceOCR',
    'InvoiceTotal',
    'Number',
    'Source',
    'VoucherNumber',
    'VoucherSeries',
    'VoucherYear',
  ],
};
/** Payload schema → the response schema whose extra fields are read-only. */
const responseOf: Record<string, string> = {
  fortnox_InvoicePayload: 'fortnox_Invoice',
  fortnox_InvoicePayload_InvoiceRow: 'fortnox_Invoice_InvoiceRow',
  fortnox_AccountPayload: 'fortnox_AccountSingleItem',
};

/**
 * Where Fortnox differs from its file:
 * - Row DeliveredQuantity is typed string, but it is a quantity: Fortnox's own recorded requests send numbers
 *   (1.0, 1.125) and get "1", "1.13" back. Accepted as a number or a numeric string.
 * - Row AccountNumber is an integer 1000–9999 in the file, but 0 is accepted as "no account" on a text row
 *   (softwerkab issue 158: "Try to set the account to 0 … that worked"; reference/fortnox-api.md §6 item 6), and
 *   Fortnox's support named "API_BLANK" for the same (same issue). Accepted: 1000–9999, 0 or "API_BLANK".
 * - Row Description has no maxLength in the payload schema; the response schema says 255, and 255 was accepted
 *   in [VCR-23] row_description_limit.yml. Longer is rejected.
 * - Customer SalesAccount is a 4-character string in the file, but [VCR-26] sent the number 3001 and it was
 *   accepted. Accepted as either, 1000–9999.
 * - Customer InvoiceAdministrationFee and InvoiceFreight are strings in the file, but [VCR-26] sent 50.0 and
 *   25.0 and got the numbers 50 and 25 back. Accepted as numbers or numeric strings.
 */
const overrides: Record<string, Record<string, Partial<SchemaNode>>> = {
  fortnox_InvoicePayload_InvoiceRow: {
    AccountNumber: { type: 'x-row-account', minimum: 1000, maximum: 9999 },
    DeliveredQuantity: { type: 'x-decimal' },
    Description: { maxLength: 255 },
  },
  fortnox_Customer: {
    SalesAccount: { type: 'x-sales-account', minimum: 1000, maximum: 9999 },
    InvoiceAdministrationFee: { type: 'x-decimal' },
    InvoiceFreight: { type: 'x-decimal' },
  },
};

const compiled = new WeakMap<SchemaNode, Schema>();

function compile(node: SchemaNode): Schema {
  const cached = compiled.get(node);
  if (cached !== undefined) return cached;
  let name: string | undefined;
  let resolved = node;
  if (node.$ref !== undefined) {
    name = node.$ref.replace('#/components/schemas/', '');
    const target = components.get(name);
    if (target === undefined) throw new Error(`openapi-subset.json: unresolved $ref ${node.$ref}`);
    resolved = target;
  }
  const properties = new Map(Object.entries(resolved.properties ?? {}));
  const readOnly = new Set<string>(name === undefined ? [] : (declaredReadOnly[name] ?? []));
  const responseName = name === undefined ? undefined : responseOf[name];
  if (responseName !== undefined) {
    for (const key of Object.keys(components.get(responseName)?.properties ?? {})) if (!properties.has(key)) readOnly.add(key);
  }
  for (const [key, patch] of Object.entries(name === undefined ? {} : (overrides[name] ?? {}))) {
    properties.set(key, { ...properties.get(key), ...patch });
  }
  const schema: Schema = {
    name,
    type: resolved.type as SchemaType | undefined,
    format: resolved.format,
    properties,
    required: new Set(resolved.required ?? []),
    readOnly,
    maxLength: resolved.maxLength,
    minLength: resolved.minLength,
    minimum: resolved.minimum,
    maximum: resolved.maximum,
    enum: resolved.enum,
    items: resolved.items,
  };
  compiled.set(node, schema);
  return schema;
}

const operations = new Map<string, Operation>();
for (const [pathTemplate, methods] of Object.entries(rawSpec.paths)) {
  for (const [method, rawOperation] of Object.entries(methods)) {
    const parsed = operationSchema.safeParse(rawOperation);
    if (!parsed.success) continue; // path-level keys such as "parameters"
    const queryParameters = new Map<string, SchemaNode | undefined>();
    for (const parameter of parsed.data.parameters ?? []) {
      if (parameter.in === 'query') queryParameters.set(parameter.name.toLowerCase(), parameter.schema);
    }
    const content = parsed.data.requestBody?.content;
    const body = content === undefined ? undefined : Object.values(content)[0]?.schema;
    operations.set(`${method.toUpperCase()} ${pathTemplate}`, { method: method.toUpperCase(), pathTemplate, queryParameters, body });
  }
}

/** The operation of the official spec for `method` and `pathTemplate` (e.g. 'PUT', '/3/invoices/{DocumentNumber}'). */
export function findOperation(method: string, pathTemplate: string): Operation | undefined {
  return operations.get(`${method.toUpperCase()} ${pathTemplate}`);
}

/** Every operation in the subset, as 'METHOD /template'. */
export function listOperations(): string[] {
  return [...operations.keys()];
}

/** The allowed values of a query parameter's enum (e.g. `filter`, `sortby`), or undefined. */
export function queryParameterEnum(operation: Operation, name: string): string[] | undefined {
  const values = operation.queryParameters.get(name)?.enum;
  return values?.map(String);
}

export type ProblemKind =
  | 'unknownOperation'
  | 'noBodyExpected'
  | 'wrapper'
  | 'unknownField'
  | 'readOnly'
  | 'type'
  | 'required'
  | 'maxLength'
  | 'minLength'
  | 'enum'
  | 'minimum'
  | 'maximum'
  | 'format';

/** One thing wrong with a request body. `path` is e.g. "Invoice.InvoiceRows[0].Price". */
export interface BodyProblem {
  kind: ProblemKind;
  path: string;
  /** The field's own name ("Price"), or the wrapper's. */
  field: string;
  value?: unknown;
  /** The expected type for 'type' problems. */
  expected?: SchemaType;
  /** The limit for maxLength/minLength/minimum/maximum problems. */
  limit?: number;
  message: string;
}

export interface BodyCheck {
  problems: BodyProblem[];
  /** The wrapper's name ("Invoice"), when the operation takes a body. */
  wrapper: string | undefined;
  /** The wrapped object with read-only fields removed; meaningful only when there are no problems. */
  content: Record<string, unknown>;
}

export interface CheckOptions {
  /** 'report' lists read-only fields as problems; 'ignore' drops them silently (what the sandbox does). */
  readOnly: 'report' | 'ignore';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Checks a request body against the operation's schema, collecting every problem. */
export function checkRequestBody(method: string, pathTemplate: string, body: unknown, options: CheckOptions): BodyCheck {
  const operation = findOperation(method, pathTemplate);
  const problems: BodyProblem[] = [];
  const content: Record<string, unknown> = {};
  if (operation === undefined) {
    problems.push({ kind: 'unknownOperation', path: '', field: '', message: `${method} ${pathTemplate} is not in the Fortnox OpenAPI subset` });
    return { problems, wrapper: undefined, content };
  }
  if (operation.body === undefined) {
    if (body !== undefined && body !== null) {
      problems.push({ kind: 'noBodyExpected', path: '', field: '', message: `${method} ${pathTemplate} takes no request body` });
    }
    return { problems, wrapper: undefined, content };
  }
  const wrap = compile(operation.body);
  const [wrapper, inner] = [...wrap.properties][0] ?? [];
  if (wrapper === undefined || inner === undefined) throw new Error(`openapi-subset.json: ${method} ${pathTemplate} has no wrapper`);
  if (!isPlainObject(body)) {
    problems.push({ kind: 'wrapper', path: '', field: wrapper, value: body, message: `expected an object {"${wrapper}": {...}}, got ${show(body)}` });
    return { problems, wrapper, content };
  }
  for (const key of Object.keys(body)) {
    if (key !== wrapper) problems.push({ kind: 'unknownField', path: key, field: key, message: `unknown field ${key} (expected only ${wrapper})` });
  }
  if (!Object.hasOwn(body, wrapper)) {
    problems.unshift({ kind: 'wrapper', path: wrapper, field: wrapper, message: `missing the wrapper object ${wrapper}` });
    return { problems, wrapper, content };
  }
  const wrapped = body[wrapper];
  if (!isPlainObject(wrapped)) {
    problems.unshift({ kind: 'wrapper', path: wrapper, field: wrapper, value: wrapped, message: `${wrapper} must be an object, got ${show(wrapped)}` });
    return { problems, wrapper, content };
  }
  const checker = new Checker(method.toUpperCase() === 'POST', options, problems);
  checker.object(compile(inner), wrapped, wrapper, content);
  return { problems, wrapper, content };
}

class Checker {
  constructor(
    private readonly creating: boolean,
    private readonly options: CheckOptions,
    private readonly problems: BodyProblem[],
  ) {}

  object(schema: Schema, value: Record<string, unknown>, path: string, out: Record<string, unknown>): void {
    for (const key of Object.keys(value)) {
      const childPath = `${path}.${key}`;
      if (schema.readOnly.has(key)) {
        if (this.options.readOnly === 'report') {
          this.problems.push({ kind: 'readOnly', path: childPath, field: key, message: `${childPath} is read-only; Fortnox ignores or rejects it (undocumented), so do not send it` });
        }
        continue;
      }
      const property = schema.properties.get(key);
      if (property === undefined) {
        this.problems.push({ kind: 'unknownField', path: childPath, field: key, message: `${childPath} is not a field of ${schema.name ?? 'this object'}` });
        continue;
      }
      out[key] = this.value(compile(property), value[key], childPath, key);
    }
    if (!this.creating) return; // PUT is a partial update: nothing is required
    for (const key of schema.required) {
      const given = value[key];
      if (!Object.hasOwn(value, key) || given === '' || given === 'API_BLANK') {
        this.problems.push({ kind: 'required', path: `${path}.${key}`, field: key, message: `${path}.${key} is required` });
      }
    }
  }

  private typeProblem(expected: SchemaType, value: unknown, path: string, field: string): undefined {
    this.problems.push({ kind: 'type', path, field, value, expected, message: `${path}: expected ${describe(expected)}, got ${show(value)}` });
    return undefined;
  }

  value(schema: Schema, value: unknown, path: string, field: string): unknown {
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') return this.typeProblem('string', value, path, field);
        if (value === '' || value === 'API_BLANK') return value;
        this.stringLimits(schema, value, path, field);
        return value;
      case 'number':
      case 'integer':
        if (typeof value !== 'number' || !Number.isFinite(value) || (schema.type === 'integer' && !Number.isInteger(value))) {
          return this.typeProblem(schema.type, value, path, field);
        }
        this.numberLimits(schema, value, path, field);
        return value;
      case 'x-decimal':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
        return this.typeProblem('x-decimal', value, path, field);
      case 'x-sales-account': {
        const number = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value;
        if (typeof number !== 'number' || !Number.isInteger(number)) return this.typeProblem('x-sales-account', value, path, field);
        this.numberLimits(schema, number, path, field);
        return String(number);
      }
      case 'x-row-account':
        if (value === 0 || value === 'API_BLANK') return value;
        if (typeof value !== 'number' || !Number.isInteger(value)) return this.typeProblem('x-row-account', value, path, field);
        this.numberLimits(schema, value, path, field);
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') return this.typeProblem('boolean', value, path, field);
        return value;
      case 'array': {
        if (!Array.isArray(value)) return this.typeProblem('array', value, path, field);
        const items = schema.items === undefined ? undefined : compile(schema.items);
        return (value as unknown[]).map((item, index) => (items === undefined ? item : this.value(items, item, `${path}[${index}]`, field)));
      }
      case 'object': {
        if (!isPlainObject(value)) return this.typeProblem('object', value, path, field);
        const out: Record<string, unknown> = {};
        this.object(schema, value, path, out);
        return out;
      }
      default:
        return value;
    }
  }

  private stringLimits(schema: Schema, value: string, path: string, field: string): void {
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      this.problems.push({ kind: 'maxLength', path, field, value, limit: schema.maxLength, message: `${path}: at most ${schema.maxLength} characters, got ${length}` });
    }
    if (schema.minLength !== undefined && length < schema.minLength) {
      this.problems.push({ kind: 'minLength', path, field, value, limit: schema.minLength, message: `${path}: at least ${schema.minLength} characters, got ${length}` });
    }
    if (schema.enum !== undefined && !schema.enum.includes(value)) {
      this.problems.push({ kind: 'enum', path, field, value, message: `${path}: must be one of ${schema.enum.join(', ')}, got ${show(value)}` });
    }
    if (schema.format === 'date' && !isIsoDate(value)) {
      this.problems.push({ kind: 'format', path, field, value, message: `${path}: expected a date YYYY-MM-DD, got ${show(value)}` });
    }
  }

  private numberLimits(schema: Schema, value: number, path: string, field: string): void {
    if (schema.minimum !== undefined && value < schema.minimum) {
      this.problems.push({ kind: 'minimum', path, field, value, limit: schema.minimum, message: `${path}: at least ${schema.minimum}, got ${value}` });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      this.problems.push({ kind: 'maximum', path, field, value, limit: schema.maximum, message: `${path}: at most ${schema.maximum}, got ${value}` });
    }
  }
}

function describe(type: SchemaType): string {
  switch (type) {
    case 'x-decimal':
      return 'a number or a numeric string';
    case 'x-sales-account':
      return 'a 4-digit account number';
    case 'x-row-account':
      return 'an account number, or 0 for none';
    case 'integer':
      return 'an integer';
    case 'array':
    case 'object':
      return `an ${type}`;
    default:
      return `a ${type}`;
  }
}

/**
 * Whether `body` conforms to Fortnox's official schema for the operation, with the strictness Fortnox applies
 * beyond the file (unknown fields, read-only fields, `null`; see the top of this module). `pathTemplate` is
 * the spec's, e.g. '/3/invoices/{DocumentNumber}'. For tests of the client: every body it sends should pass.
 */
export function validateFortnoxRequestBody(
  method: string,
  pathTemplate: string,
  body: unknown,
): { ok: true } | { ok: false; problems: { path: string; message: string }[] } {
  const { problems } = checkRequestBody(method, pathTemplate, body, { readOnly: 'report' });
  return problems.length === 0 ? { ok: true } : { ok: false, problems: problems.map(({ path, message }) => ({ path, message })) };
}

import fc from 'fast-check';
import type { SummaInvoiceInput } from '../../src/summa/invoice-contract.js';

/*
 * fast-check arbitraries for Summa's hook: invoices valid per the v1 contract (src/summa/invoice-contract.ts), and
 * ways to break them. Valid invoices draw on the Fortnox sandbox's seed (src/sandbox/fortnox/seed.ts) on purpose:
 * existing, inactive, missing and cost-centre-requiring accounts, active and inactive cost centres, set-up and
 * missing currencies, so that the pipeline meets every kind of answer a real company gives.
 */

type Row = SummaInvoiceInput['rows'][number];
type Customer = SummaInvoiceInput['customer'];
type VatPercent = 25 | 12 | 6 | 0;

/** Today in Sweden (YYYY-MM-DD): the sandbox seeds its current financial year from it. */
export const swedishToday = (): string => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

const addDays = (date: string, days: number): string => {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
};

/** Active sales accounts of the seed with the rate their VAT code implies; 3041 and 3051 need a cost centre. */
const SEED_ACCOUNTS: readonly { account: number; vatPercent: VatPercent }[] = [
  { account: 3001, vatPercent: 25 },
  { account: 3002, vatPercent: 12 },
  { account: 3003, vatPercent: 6 },
  { account: 3004, vatPercent: 0 },
  { account: 3041, vatPercent: 25 },
  { account: 3051, vatPercent: 25 },
  { account: 3106, vatPercent: 25 },
  { account: 3520, vatPercent: 25 },
  { account: 3540, vatPercent: 25 },
];
const INACTIVE_ACCOUNTS: readonly { account: number; vatPercent: VatPercent }[] = [
  { account: 3010, vatPercent: 25 },
  { account: 3011, vatPercent: 25 },
];
/** Zero-rated accounts of the seed: export, EU and domestic reverse charge. */
const ZERO_RATED_ACCOUNTS = [3004, 3105, 3108, 3231, 3305, 3308] as const;
/** Accounts the seed's chart does not have. */
const MISSING_ACCOUNTS = [3000, 3999, 4010, 9999] as const;
/** Active cost centres of the seed, the inactive GAMLA, and codes Fortnox does not have yet. */
const COST_CENTRES = ['TRYCK', 'BIND', 'SKYLT', 'NY1', 'ny-2'] as const;
const costCentre = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...COST_CENTRES) }, { weight: 1, arbitrary: fc.constant('GAMLA') });
const UNITS = ['st', 'ex', 'ark', 'tim', 'förp', 'm2'] as const;

const SWEDISH_LETTERS = 'abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖéüÉÜ';

/** Text of Swedish letters, digits and punctuation, trimmed and at least one character, at most `max`. */
export function swedishText(max: number): fc.Arbitrary<string> {
  const char = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...SWEDISH_LETTERS) },
    { weight: 2, arbitrary: fc.constantFrom(' ', '-', '&', '.', ',', '/', '’', '"', '0', '7') },
    { weight: 1, arbitrary: fc.constantFrom('—', '€', '½', '×', '“', '🖨') },
  );
  return fc
    .string({ unit: char, minLength: 1, maxLength: Math.min(max, 40) })
    .map((text) => text.trim())
    .filter((text) => text.length > 0 && text.length <= max);
}

const words = (list: readonly string[]) => fc.constantFrom(...list);

/** A customer: Swedish companies and private persons, EU buyers and customers abroad, with the VAT fields their type needs. */
const customerArbitrary: fc.Arbitrary<Customer> = fc
  .record({
    kind: fc.constantFrom('domestic', 'domestic', 'domestic', 'domestic', 'private', 'euPrivate', 'euReverse', 'seReverse', 'export'),
    name: fc.oneof(
      words(['Åkessons Tryckeri AB', 'Ölands Reklambyrå HB', 'Sjöbergs Förlag AB', 'Ärlebäcks Skyltfabrik', 'Bokbinderiet i Västerås AB']),
      swedishText(60).map((name) => `${name} AB`),
      fc.constantFrom('🖨', 'Å', `Tryckeri ${'Ö'.repeat(1000)}`),
    ),
    // Seed customers' organisation numbers (one of them inactive), and new ones.
    organisationNumber: fc.option(fc.oneof(words(['556123-4567', '969712-3456', '556444-9090']), fc.integer({ min: 0, max: 9999 }).map((n) => `559${String(n).padStart(3, '0')}-${1000 + (n % 9000)}`)), { nil: undefined }),
    customerNumber: fc.option(fc.integer({ min: 1, max: 1_000_000 }).map((n) => `PK-${n}`), { nil: undefined }),
    city: fc.option(words(['Umeå', 'Östhammar', 'Göteborg', 'Malmö', 'Örebro', 'Västerås']), { nil: undefined }),
    address1: fc.option(swedishText(40), { nil: undefined }),
    zipCode: fc.option(words(['742 31', '411 38', '21212']), { nil: undefined }),
    email: fc.option(words(['faktura@tryckeri.se', 'ekonomi@bokbinderiet.se']), { nil: undefined }),
  })
  .map(({ kind, name, organisationNumber, customerNumber, city, address1, zipCode, email }): Customer => {
    const common = {
      name,
      ...(customerNumber === undefined ? {} : { customerNumber }),
      ...(address1 === undefined ? {} : { address1 }),
      ...(zipCode === undefined ? {} : { zipCode }),
      ...(email === undefined ? {} : { email }),
    };
    switch (kind) {
      case 'domestic':
        return { ...common, type: 'COMPANY', countryCode: 'SE', ...(city === undefined ? {} : { city }), ...(organisationNumber === undefined ? {} : { organisationNumber }) };
      case 'private':
        return { ...common, type: 'PRIVATE', countryCode: 'SE', vatType: 'SEVAT' };
      case 'euPrivate':
        return { ...common, type: 'PRIVATE', countryCode: 'FI', vatType: 'EUVAT' };
      case 'euReverse':
        return { ...common, type: 'COMPANY', countryCode: 'DE', vatType: 'EUREVERSEDVAT', vatNumber: 'DE123456789' };
      case 'seReverse':
        return { ...common, type: 'COMPANY', countryCode: 'SE', vatType: 'SEREVERSEDVAT', vatNumber: 'SE556123456701' };
      default:
        return { ...common, type: 'COMPANY', countryCode: 'NO', vatType: 'EXPORT' };
    }
  });

/** Money in whole öre. */
const money = (minOre: number, maxOre: number) => fc.integer({ min: minOre, max: maxOre }).map((ore) => ore / 100);

/** One row; `zeroRated` for reverse charge and export, where the contract requires 0 %. */
function rowArbitrary(zeroRated: boolean, sign: 1 | -1): fc.Arbitrary<Row> {
  const accountAndRate: fc.Arbitrary<{ account: number; vatPercent: VatPercent }> = zeroRated
    ? fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom(...ZERO_RATED_ACCOUNTS).map((account) => ({ account, vatPercent: 0 as const })) },
        { weight: 1, arbitrary: fc.constantFrom(...MISSING_ACCOUNTS).map((account) => ({ account, vatPercent: 0 as const })) },
      )
    : fc.oneof(
        { weight: 40, arbitrary: fc.constantFrom(...SEED_ACCOUNTS) },
        // An inactive account, a rate that does not fit its account, an account Fortnox does not have: a person must act.
        { weight: 1, arbitrary: fc.constantFrom(...INACTIVE_ACCOUNTS) },
        { weight: 1, arbitrary: fc.record({ account: fc.constantFrom(...SEED_ACCOUNTS.map((item) => item.account)), vatPercent: fc.constantFrom<VatPercent>(25, 12, 6, 0) }) },
        { weight: 1, arbitrary: fc.record({ account: fc.constantFrom(...MISSING_ACCOUNTS), vatPercent: fc.constantFrom<VatPercent>(25, 12, 6, 0) }) },
      );
  return fc
    .record({
      accountAndRate,
      description: swedishText(255),
      // A credit's rows must add up to at least an öre, so its quantities are whole.
      quantity: sign < 0
        ? fc.integer({ min: 1, max: 500 })
        : fc.oneof(
            { weight: 10, arbitrary: fc.integer({ min: 1, max: 5000 }) },
            { weight: 5, arbitrary: fc.integer({ min: 1, max: 99_999 }).map((n) => n / 100) },
            // Extremes the contract allows: a million sheets, a hundredth of a unit (Fortnox keeps two decimals).
            { weight: 1, arbitrary: fc.constantFrom(1_000_000, 0.01, 123_456.78) },
          ),
      unitPrice: fc.oneof({ weight: 15, arbitrary: money(1, 2_000_000) }, { weight: 1, arbitrary: fc.constantFrom(...(sign < 0 ? [0.01, 9_999_999.99] : [0, 0.01, 9_999_999.99])) }),
      unit: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
      // A 100 % discount would leave a credit row of nothing, which the contract refuses.
      discountPercent: fc.option(sign < 0 ? fc.constantFrom(0, 5, 10, 12.5, 50) : fc.constantFrom(0, 5, 10, 12.5, 50, 100), { nil: undefined, freq: 4 }),
      costCentre: fc.option(costCentre, { nil: undefined }),
    })
    .map(({ accountAndRate, description, quantity, unitPrice, unit, discountPercent, costCentre }) => ({
      description,
      quantity: sign * quantity,
      unitPrice,
      vatPercent: accountAndRate.vatPercent,
      account: accountAndRate.account,
      ...(unit === undefined ? {} : { unit }),
      ...(discountPercent === undefined ? {} : { discountPercent }),
      ...(costCentre === undefined ? {} : { costCentre }),
    }));
}

const roundOre = (value: number) => Math.round(value * 100) / 100;

/**
 * Summa's totals as Fortnox computes them: row totals to the öre, VAT per rate on the rate's summed rows, SEK
 * totals to whole kronor (öresavrundning), other currencies not rounded.
 */
export function totalsOf(rows: readonly Row[], currency: string): { net: number; vat: number; total: number } {
  const rowNet = (row: Row) => roundOre(row.quantity * row.unitPrice * (1 - (row.discountPercent ?? 0) / 100));
  const net = roundOre(rows.reduce((sum, row) => sum + rowNet(row), 0));
  const byRate = new Map<number, number>();
  for (const row of rows) byRate.set(row.vatPercent, (byRate.get(row.vatPercent) ?? 0) + rowNet(row));
  const vat = roundOre([...byRate].reduce((sum, [rate, base]) => sum + roundOre((base * rate) / 100), 0));
  const total = currency === 'SEK' ? Math.round(net + vat) : roundOre(net + vat);
  return { net, vat, total };
}

/**
 * An invoice valid per the v1 contract, for tenant `demo`, with a placeholder `invoiceId` (the test gives each run
 * its own). `earlierIds` are invoice ids a credit or an a-conto deduction may refer to (transferred or not).
 */
export function validInvoiceArbitrary(earlierIds: () => readonly string[] = () => []): fc.Arbitrary<SummaInvoiceInput> {
  const today = swedishToday();
  const kind = fc.constantFrom('debit', 'debit', 'debit', 'debit', 'debit', 'debit', 'fullCredit', 'partialCredit', 'aconto');
  return fc
    .record({
      kind,
      customer: customerArbitrary,
      // Mostly today; now and then a date in a year the sandbox company has no financial year for.
      invoiceDate: fc.oneof({ weight: 30, arbitrary: fc.constant(today) }, { weight: 1, arbitrary: fc.constant('2019-05-05') }),
      dueInDays: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined, freq: 4 }),
      termsOfPaymentDays: fc.option(fc.constantFrom(0, 10, 20, 30, 45, 365), { nil: undefined }),
      currency: fc.oneof(
        { weight: 6, arbitrary: fc.constant({ currency: undefined, currencyRate: undefined }) },
        { weight: 6, arbitrary: fc.record({ currency: fc.constantFrom('EUR', 'USD', 'NOK'), currencyRate: fc.option(fc.oneof(fc.integer({ min: 50, max: 1500 }).map((n) => n / 100), fc.constantFrom(0.0001, 99_999)), { nil: undefined }) }) },
        { weight: 1, arbitrary: fc.record({ currency: fc.constant('DKK'), currencyRate: fc.constant(undefined) }) },
      ),
      rowCount: fc.integer({ min: 1, max: 6 }),
      rowSeeds: fc.array(fc.integer(), { minLength: 6, maxLength: 6 }),
      withTotals: fc.boolean(),
      costCentre: fc.option(costCentre.map((code) => ({ code, description: `Avdelning ${code}` })), { nil: undefined }),
      project: fc.option(fc.integer({ min: 1, max: 500 }).map((n) => ({ number: `PR-${n}`, description: `Projekt ${n} – Vårkatalog` })), { nil: undefined }),
      yourReference: fc.option(swedishText(50), { nil: undefined }),
      ourReference: fc.option(swedishText(50), { nil: undefined }),
      remarks: fc.option(swedishText(1024), { nil: undefined }),
      deliveryAddress: fc.option(fc.constant({ name: 'Förlagets lager', address1: 'Industrivägen 14', zipCode: '742 34', city: 'Östhammar' }), { nil: undefined }),
      earlier: fc.nat(),
    })
    .chain((draft) => {
      const zeroRated = draft.customer.vatType === 'SEREVERSEDVAT' || draft.customer.vatType === 'EUREVERSEDVAT' || draft.customer.vatType === 'EXPORT';
      const sign = draft.kind === 'partialCredit' ? -1 : 1;
      const rows = draft.kind === 'fullCredit' ? fc.constant<Row[]>([]) : fc.array(rowArbitrary(zeroRated, sign), { minLength: draft.rowCount, maxLength: draft.rowCount });
      return rows.map((rowList) => ({ draft, rows: rowList, zeroRated }));
    })
    .map(({ draft, rows, zeroRated }): SummaInvoiceInput => {
      const ids = earlierIds();
      // Refers to an invoice of this run when there is one, else to one Summa never sent.
      const earlier = ids.length > 0 ? ids[draft.earlier % ids.length]! : `NEVER-${draft.earlier}`;
      const currency = draft.currency.currency ?? 'SEK';
      const invoice: SummaInvoiceInput = {
        schemaVersion: 1,
        tenant: 'demo',
        invoiceId: 'PLACEHOLDER',
        orderNumber: `O-${draft.earlier}`,
        invoiceDate: draft.invoiceDate,
        customer: draft.customer,
        rows,
        ...(draft.dueInDays === undefined ? {} : { dueDate: addDays(draft.invoiceDate, draft.dueInDays) }),
        ...(draft.termsOfPaymentDays === undefined ? {} : { termsOfPaymentDays: draft.termsOfPaymentDays }),
        ...(draft.currency.currency === undefined ? {} : { currency: draft.currency.currency }),
        ...(draft.currency.currencyRate === undefined ? {} : { currencyRate: draft.currency.currencyRate }),
        ...(draft.costCentre === undefined ? {} : { costCentre: draft.costCentre }),
        ...(draft.project === undefined ? {} : { project: draft.project }),
        ...(draft.yourReference === undefined ? {} : { yourReference: draft.yourReference }),
        ...(draft.ourReference === undefined ? {} : { ourReference: draft.ourReference }),
        ...(draft.remarks === undefined ? {} : { remarks: draft.remarks }),
        ...(draft.deliveryAddress === undefined ? {} : { deliveryAddress: draft.deliveryAddress }),
      };
      const withTotals = (result: SummaInvoiceInput, deducted: Row[] = []): SummaInvoiceInput =>
        draft.withTotals && rows.length > 0 ? { ...result, totals: totalsOf([...rows, ...deducted], currency) } : result;
      if (draft.kind === 'fullCredit') return { ...invoice, credit: { originalInvoiceId: earlier, full: true } };
      if (draft.kind === 'partialCredit') return withTotals({ ...invoice, credit: { originalInvoiceId: earlier, full: false } });
      if (draft.kind === 'aconto') {
        const net = rows.reduce((sum, row) => sum + row.quantity * row.unitPrice, 0);
        const amount = Math.max(0.01, roundOre(net / 4));
        const vatPercent: VatPercent = zeroRated ? 0 : (rows[0]?.vatPercent ?? 25);
        // The deduction becomes a negative row in Fortnox, and Summa's totals are after it.
        const deducted: Row = { description: 'a-conto', quantity: -1, unitPrice: amount, vatPercent, account: 2420 };
        return withTotals({ ...invoice, acontoDeductions: [{ invoiceId: earlier, amount, vatPercent }] }, [deducted]);
      }
      return withTotals(invoice);
    });
}

/* ----------------------------------------------------------------------------------------------------------------
 * Bad input.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Raw JSON number text that `JSON.stringify` cannot produce (1e400, -0, 1E+2 …): a value is put in the tree as a
 * marker string, and `serialise` writes the raw text in its place.
 */
const RAW = (text: string) => `\u0001RAW:${Buffer.from(text).toString('base64')}\u0001`;
/** A key written as `key` after serialisation, so an object can hold the same key twice. */
const DUPLICATE = (key: string, n: number) => `\u0001DUP${n}:${key}\u0001`;

/** Writes a tree built with RAW and DUPLICATE markers as JSON text. */
export function serialise(value: unknown): string | undefined {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return undefined;
  return text
    .replace(/"\\u0001RAW:([A-Za-z0-9+/=]*)\\u0001"/g, (_, raw: string) => Buffer.from(raw, 'base64').toString())
    .replace(/"\\u0001DUP\d+:((?:[^"\\]|\\.)*)\\u0001"/g, (_, key: string) => `"${key}"`);
}

/** Nested arrays or objects `depth` levels deep, as raw text: `JSON.stringify` itself overflows the stack at ~10,000. */
function nested(depth: number, kind: 'array' | 'object'): string {
  return RAW(kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Values meant to break a field: wrong types, extremes, hostile strings, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1, 0.5, 1.005, 1e-7, 999, 1000, 9999, 10_000, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
  fc.constantFrom(RAW('1e400'), RAW('-1e400'), RAW('-0'), RAW('-0.0'), RAW('1E+2'), RAW('25.0'), RAW('2.5e1'), RAW('0.1e-400')),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-Infinity', '-0', '1e400', '0x19', '25', 'null', 'true', '2026-02-30', '2026-13-01', '26-01-01', 'SEK ', 'demo', '\u0000', '\ud800', 'a\udc00b', '\u202eevil', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1, max: 300 }).map((kib) => 'Ö'.repeat(kib * 512)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 12_000 }).chain((depth) => fc.constantFrom<'array' | 'object'>('array', 'object').map((kind) => nested(depth, kind))),
  fc.constantFrom(...FORBIDDEN_KEYS).map((key) => JSON.parse(`{"${key}": {"polluted": "yes"}}`) as unknown),
  // A forbidden key on every level of a deep object: each one's path is as long as its depth.
  fc.integer({ min: 1, max: 2_000 }).map((depth) => RAW(`${'{"__proto__":{"polluted":"yes"},"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.constant(Array.from({ length: 600 }, () => ({}))),
);

/** Keys to inject: forbidden ones, near-misses of contract fields, and random strings. */
const injectedKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...FORBIDDEN_KEYS),
  fc.constantFrom('toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'Tenant', 'invoiceid', 'rows ', '', 'a.b', '0'),
  fc.string({ maxLength: 12 }),
);

type PathKey = string | number;

/** Every path into a JSON tree (the root is `[]`), breadth-limited so huge arrays do not dominate. */
function pathsOf(value: unknown, at: PathKey[] = [], into: PathKey[][] = []): PathKey[][] {
  into.push(at);
  if (at.length > 8) return into;
  if (Array.isArray(value)) value.slice(0, 20).forEach((item, index) => pathsOf(item, [...at, index], into));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...at, key], into);
  return into;
}

function containerAt(root: unknown, path: readonly PathKey[]): unknown {
  let at = root;
  for (const key of path) at = (at as Record<PathKey, unknown>)[key];
  return at;
}

export type Mutation =
  | { op: 'replace'; pick: number; value: unknown }
  | { op: 'remove'; pick: number }
  | { op: 'inject'; pick: number; key: string; value: unknown }
  | { op: 'duplicate'; pick: number; value: unknown };

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: nastyValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('inject' as const), pick: fc.nat(), key: injectedKey, value: nastyValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), pick: fc.nat(), value: nastyValue }) },
);

let duplicates = 0;

/** Applies mutations to a deep copy of `value` at paths picked among its current paths; the result may still be valid. */
export function mutate(value: unknown, mutations: readonly Mutation[]): unknown {
  // Copies through JSON: it keeps own __proto__ keys as keys, and a value injected twice is not one object twice.
  const copy = (item: unknown): unknown => (item === undefined ? undefined : JSON.parse(JSON.stringify(item)));
  const root: { value: unknown } = { value: copy(value) };
  for (const original of mutations) {
    const mutation = 'value' in original ? { ...original, value: copy(original.value) } : original;
    const paths = pathsOf(root.value);
    const path = paths[mutation.pick % paths.length]!;
    const parentPath = ['value', ...path.slice(0, -1)];
    const key = path.length === 0 ? 'value' : path[path.length - 1]!;
    const parent = containerAt(root, parentPath) as Record<PathKey, unknown> | unknown[];
    const target = containerAt(root, ['value', ...path]);
    switch (mutation.op) {
      case 'replace':
        (parent as Record<PathKey, unknown>)[key] = mutation.value;
        break;
      case 'remove':
        if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
        else if (path.length > 0) delete (parent as Record<PathKey, unknown>)[key];
        break;
      case 'inject':
        if (Array.isArray(target)) target.push(mutation.value);
        else if (target !== null && typeof target === 'object') Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
        else (parent as Record<PathKey, unknown>)[key] = { [mutation.key]: mutation.value };
        break;
      case 'duplicate': {
        // Written as the object's first key's name again, after it: JSON.parse keeps the last.
        if (target === null || typeof target !== 'object' || Array.isArray(target)) break;
        const first = Object.keys(target)[0];
        if (first === undefined) break;
        duplicates += 1;
        (target as Record<string, unknown>)[DUPLICATE(first, duplicates)] = mutation.value;
        break;
      }
    }
  }
  return root.value;
}

/** Ways to damage the bytes of a serialised body: invalid UTF-8, truncation, a BOM, stray bytes. */
export type ByteDamage =
  | { kind: 'none' }
  | { kind: 'invalidUtf8'; at: number; bytes: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'bom' }
  | { kind: 'wrap'; before: string; after: string };

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0xc3], // a lead byte without its continuation
  [0x80], // a continuation byte alone
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf], // overlong, three bytes
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf0, 0x9f, 0x98], // a four-byte sequence cut short
];

export const byteDamageArbitrary: fc.Arbitrary<ByteDamage> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('invalidUtf8' as const), at: fc.nat(), bytes: fc.constantFrom(...INVALID_UTF8) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), before: fc.constantFrom('', ' \n\t', '[', 'x', '\u0000'), after: fc.constantFrom('', ' \r\n', ']', ',', '}', '\u0000') }) },
);

export function damage(text: string, how: ByteDamage): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const at = (n: number) => (bytes.length === 0 ? 0 : n % (bytes.length + 1));
  switch (how.kind) {
    case 'none':
      return bytes;
    case 'invalidUtf8':
      return Buffer.concat([bytes.subarray(0, at(how.at)), Buffer.from(how.bytes), bytes.subarray(at(how.at))]);
    case 'truncate':
      return bytes.subarray(0, at(how.at));
    case 'flip': {
      if (bytes.length === 0) return Buffer.from([how.byte]);
      const copy = Buffer.from(bytes);
      copy[how.at % copy.length] = how.byte;
      return copy;
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 'wrap':
      return Buffer.concat([Buffer.from(how.before, 'utf8'), bytes, Buffer.from(how.after, 'utf8')]);
  }
}

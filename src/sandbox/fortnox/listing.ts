// Lists the way Fortnox answers them: MetaInformation first, `page` (1-based), `limit` (default 100, at most
// 500), `offset`, `sortby`/`sortorder`, resource-specific search parameters matched as case-insensitive
// substrings (ILIKE '%value%'), `filter=` enums and the global `lastmodified`
// (reference/fortnox-api.md §4.0). An empty result is TotalPages 0, CurrentPage 1 ([VCR-23] search_miss.yml).
import type { ApiContext, ApiResult } from './api.js';
import { FortnoxCode, invalid } from './errors.js';
import { scalar } from './state.js';

export interface ListSpec<T> {
  /** The list key, e.g. "Customers". */
  key: string;
  items: Iterable<T>;
  /** Search parameter → the value it is matched against. */
  search?: Readonly<Record<string, (item: T) => unknown>>;
  /** `filter=` value → predicate. Values not listed answer 2000587. */
  filters?: Readonly<Record<string, (item: T) => boolean>>;
  /** Other parameters with their own matching (dates, flags): parameter → (item, value) → keep. */
  predicates?: Readonly<Record<string, (item: T, value: string) => boolean>>;
  /** `sortby` value → sort key; the first entry is the default order. */
  sortBy: Readonly<Record<string, (item: T) => string | number>>;
  lastModified?: (item: T) => number;
  render: (item: T) => unknown;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** Parses a non-negative integer query value, or answers 2000588 naming the parameter. */
export function integerParameter(context: ApiContext, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = context.query.get(name);
  if (value === undefined) return undefined;
  const number = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (${name}=${value})`);
  return number;
}

/** Case-insensitive substring match, as Fortnox's ILIKE '%value%'. */
export function ilike(haystack: unknown, needle: string): boolean {
  return scalar(haystack).toLocaleLowerCase('sv').includes(needle.toLocaleLowerCase('sv'));
}

/**
 * Parses Fortnox's `lastmodified` ("2019-03-10 12:30" or with seconds), read as the sandbox process's local
 * time; Fortnox means Swedish time.
 */
export function parseLastModified(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (match === null) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (lastmodified=${value})`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime();
}

/** Answers a list request: filters, searches, sorts and pages `spec.items`. */
export function listResponse<T>(context: ApiContext, spec: ListSpec<T>): ApiResult {
  const { query } = context;
  let items = [...spec.items];

  const filter = query.get('filter');
  if (filter !== undefined) {
    const predicate = spec.filters?.[filter.toLowerCase()];
    if (predicate === undefined || !Object.hasOwn(spec.filters ?? {}, filter.toLowerCase())) {
      throw invalid(FortnoxCode.invalidFilter, 'Ett ogiltigt filter har använts.');
    }
    items = items.filter(predicate);
  }
  for (const [name, value] of query) {
    if (spec.search !== undefined && Object.hasOwn(spec.search, name)) {
      const field = spec.search[name];
      if (field !== undefined) items = items.filter((item) => ilike(field(item), value));
    } else if (spec.predicates !== undefined && Object.hasOwn(spec.predicates, name)) {
      const predicate = spec.predicates[name];
      if (predicate !== undefined) items = items.filter((item) => predicate(item, value));
    }
  }
  const lastModified = query.get('lastmodified');
  if (lastModified !== undefined && spec.lastModified !== undefined) {
    const since = parseLastModified(lastModified);
    const modifiedAt = spec.lastModified;
    items = items.filter((item) => modifiedAt(item) >= since);
  }

  const sortNames = Object.keys(spec.sortBy);
  const sortName = query.get('sortby')?.toLowerCase() ?? sortNames[0];
  const sortKey = sortName !== undefined && Object.hasOwn(spec.sortBy, sortName) ? spec.sortBy[sortName] : undefined;
  if (sortKey === undefined) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (sortby=${query.get('sortby') ?? ''})`);
  const order = query.get('sortorder')?.toLowerCase() ?? 'ascending';
  if (order !== 'ascending' && order !== 'descending') throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (sortorder=${order})`);
  const direction = order === 'ascending' ? 1 : -1;
  items.sort((a, b) => direction * compareKeys(sortKey(a), sortKey(b)));

  const limit = integerParameter(context, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  const page = integerParameter(context, 'page', 1) ?? 1;
  const offset = integerParameter(context, 'offset', 0) ?? 0;
  const total = items.length;
  const afterOffset = items.slice(offset);
  const start = (page - 1) * limit;
  return {
    status: 200,
    body: {
      MetaInformation: { '@TotalResources': total, '@TotalPages': Math.ceil(afterOffset.length / limit), '@CurrentPage': page },
      [spec.key]: afterOffset.slice(start, start + limit).map(spec.render),
    },
  };
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y) || x.localeCompare(y);
  return x.localeCompare(y, 'sv');
}

/** A list item: the record with every null turned into "" (Fortnox lists say "" where a single GET says null). */
export function listItem(fields: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const key of keys) item[key] = fields[key] ?? '';
  return item;
}

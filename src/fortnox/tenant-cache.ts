/** How long cached Fortnox data is trusted: long enough for a month-end export, short enough to notice edits. */
export const DEFAULT_CACHE_TTL_MS = 10 * 60_000;

interface Entry {
  value: Promise<unknown>;
  at: number;
}

/**
 * What one worker process remembers of a tenant's Fortnox data, so a month-end export does not read the chart of
 * accounts or the customer register once per invoice, and does not repeat a write it has just made. Entries live
 * `ttlMs`; activities drop them when Fortnox proves them stale (an account it says is missing, a customer it says
 * exists), and every read of the same key while one is in flight shares it.
 */
export class TenantCache {
  private readonly entries = new Map<string, Entry>();
  private readonly written = new Map<string, { fingerprint: string; result: string; at: number }>();

  constructor(
    private readonly ttlMs: number = DEFAULT_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value of `key`, loading it when absent or expired; a failed load is not cached. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.now() - entry.at < this.ttlMs) return entry.value as Promise<T>;
    const value = load();
    this.entries.set(key, { value, at: this.now() });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Changes a cached value in place (after a write that changed what Fortnox holds). */
  update<T>(key: string, change: (current: T) => T): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) entry.value = (entry.value as Promise<T>).then(change);
  }

  /**
   * The result of this process's last write of exactly `fingerprint` to `key` within the TTL, or undefined: when
   * found, writing it again would change nothing.
   */
  sameWrite(key: string, fingerprint: string): string | undefined {
    const entry = this.written.get(key);
    return entry !== undefined && entry.fingerprint === fingerprint && this.now() - entry.at < this.ttlMs ? entry.result : undefined;
  }

  recordWrite(key: string, fingerprint: string, result: string): void {
    this.written.set(key, { fingerprint, result, at: this.now() });
  }

  /** Forgets everything cached for keys starting with `prefix` (everything, without one). */
  invalidate(prefix = ''): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const key of [...this.written.keys()]) if (key.startsWith(prefix)) this.written.delete(key);
  }
}

/** One cache per tenant for this process. */
export function tenantCaches(ttlMs = DEFAULT_CACHE_TTL_MS): (tenant: string) => TenantCache {
  const caches = new Map<string, TenantCache>();
  return (tenant) => {
    let cache = caches.get(tenant);
    if (cache === undefined) {
      cache = new TenantCache(ttlMs);
      caches.set(tenant, cache);
    }
    return cache;
  };
}

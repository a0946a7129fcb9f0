import type { FortnoxClient } from '../src/fortnox/client.js';
import type { TenantCache } from '../src/fortnox/tenant-cache.js';
import type { PostingOptions } from '../src/config/tenants.js';
import type { SummaWriteBack } from '../src/summa/write-back.js';

/** What activities need from the worker: real clients in production, sandbox-backed ones in demo mode and tests. */
export interface ActivityDeps {
  /** The Fortnox client of a Summa tenant; throws a NeedsAttention failure for a tenant that is not configured. */
  fortnoxFor(tenant: string): FortnoxClient;
  summa: { reportTransfer(report: SummaWriteBack): Promise<void> };
  /** The tenant's posting options (book, send, a-conto account); defaults for a tenant without any. */
  postingFor(tenant: string): PostingOptions;
  /** What this process remembers of the tenant's Fortnox data. */
  cacheFor(tenant: string): TenantCache;
}

import type { FortnoxClient } from '../src/fortnox/client.js';
import type { TenantCache } from '../src/fortnox/tenant-cache.js';
import type { PostingOptions } from '../src/config/tenants.js';

/** A write-back to Summa: where an invoice's transfer ended up. */
export interface TransferReport {
  tenant: string;
  invoiceId: string;
  status: 'transferred' | 'needsAttention' | 'cancelled';
  fortnoxInvoiceNumber?: string;
  message?: string;
}

/** What activities need from the worker: real clients in production, sandbox-backed ones in demo mode and tests. */
export interface ActivityDeps {
  /** The Fortnox client of a Summa tenant; throws a NeedsAttention failure for a tenant that is not configured. */
  fortnoxFor(tenant: string): FortnoxClient;
  summa: { reportTransfer(report: TransferReport): Promise<void> };
  /** The tenant's posting options (book, send, a-conto account); defaults for a tenant without any. */
  postingFor(tenant: string): PostingOptions;
  /** What this process remembers of the tenant's Fortnox data. */
  cacheFor(tenant: string): TenantCache;
}

/*
 * The integration's own Prometheus metrics, beside Temporal's (`temporal_*`), on METRICS_PORT. Names and labels are
 * listed in docs/operations.md.
 */

/** Transfers that ended, by `tenant` and `outcome` (`transferred`, `cancelled`). Emitted by the transfer workflow. */
export const TRANSFERS = 'summa_fortnox_transfers_total';
/** Transfers that stopped for a person, by `tenant` and `step`. Emitted by the transfer workflow. */
export const NEEDS_ATTENTION = 'summa_fortnox_needs_attention_total';
/**
 * From the transfer's start (the hook's request for one invoice; the export handing it on, for an export's) to
 * Summa holding the Fortnox number, in ms, by `tenant`. Emitted by the transfer workflow.
 */
export const HOOK_TO_WRITE_BACK = 'summa_fortnox_hook_to_write_back_ms';
/** Answers from Fortnox's API, by `tenant` and `status` (HTTP status, `429` when rate-limited; `network` when none). */
export const FORTNOX_REQUESTS = 'summa_fortnox_fortnox_requests_total';
/** Requests to Summa's hook, by `route` (`invoice`, `export`, `status`, `other`) and HTTP `status`. */
export const HOOK_REQUESTS = 'summa_fortnox_hook_requests_total';

/** Buckets for HOOK_TO_WRITE_BACK: the 400 ms target sits in the middle; hours cover a Fortnox outage. */
export const HOOK_TO_WRITE_BACK_BUCKETS_MS = [25, 50, 100, 200, 400, 800, 1_600, 5_000, 15_000, 60_000, 300_000, 3_600_000];

import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import { FORTNOX_REQUESTS, HOOK_REQUESTS } from '../transfer/metrics.js';

/**
 * The process's meter: Temporal's Runtime meter once `installProcessLogging` was given a metrics address, so our
 * counters are exported beside Temporal's; a no-op otherwise (tests, the CLI).
 */
let meter: MetricMeter = noopMetricMeter;
let counters: ReturnType<typeof createCounters> | undefined;

function createCounters(of: MetricMeter) {
  return {
    fortnoxRequests: of.createCounter(FORTNOX_REQUESTS, 'requests', "Answers from Fortnox's API by tenant and HTTP status"),
    hookRequests: of.createCounter(HOOK_REQUESTS, 'requests', "Requests to Summa's hook by route and HTTP status"),
  };
}

export function useMetricMeter(next: MetricMeter): void {
  meter = next;
  counters = undefined;
}

function processCounters() {
  counters ??= createCounters(meter);
  return counters;
}

/** One answer from Fortnox (or none: `network`). */
export function countFortnoxRequest(tenant: string, status: number | 'network'): void {
  processCounters().fortnoxRequests.add(1, { tenant, status: String(status) });
}

/** One request to the hook, once answered. */
export function countHookRequest(route: string, status: number): void {
  processCounters().hookRequests.add(1, { route, status: String(status) });
}

// What the Fortnox sandbox saw: its request log (GET /sandbox/requests) summarised per endpoint and tenant, for the
// benchmark's figures and the tests that prove Fortnox's limit was kept.
import type { LoggedRequest } from '../sandbox/fortnox/index.js';

/** Fortnox's limit, per tenant: 25 requests in any 5 s. */
export const FORTNOX_LIMIT = { requests: 25, windowMs: 5_000, perSecond: 5 } as const;

export interface FortnoxTraffic {
  /** Calls to the API (/3), 429s included. */
  apiCalls: number;
  /** Token requests (/oauth-v1), which Fortnox does not count against the API limit. */
  oauthCalls: number;
  /** "METHOD /3/route" → calls. */
  byEndpoint: Record<string, number>;
  /** API answers 429 Too Many Requests. */
  tooManyRequests: number;
  /** Other answers ≥ 400. */
  otherErrors: number;
  /** Per Fortnox tenant: calls, and the most calls that fell in any 5 s window (Fortnox allows 25). */
  perTenant: Record<string, { calls: number; maxIn5s: number }>;
  /** The sandbox's log is bounded (10 000 entries); true if it dropped some of this scenario's. */
  truncated: boolean;
}

function maxInWindow(times: number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

export function summariseRequests(requests: readonly LoggedRequest[]): FortnoxTraffic {
  const api = requests.filter((request) => request.route.startsWith('/3/'));
  const byEndpoint: Record<string, number> = {};
  const times = new Map<string, number[]>();
  for (const request of api) {
    const key = `${request.method} ${request.route}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
    // Only served requests count against Fortnox's window.
    if (request.status !== 429) {
      const tenant = request.tenant ?? '?';
      times.set(tenant, times.get(tenant) ?? []);
      times.get(tenant)?.push(Date.parse(request.at));
    }
  }
  const perTenant = Object.fromEntries(
    [...times].map(([tenant, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [tenant, { calls: api.filter((request) => (request.tenant ?? '?') === tenant).length, maxIn5s: maxInWindow(sorted, FORTNOX_LIMIT.windowMs) }];
    }),
  );
  return {
    apiCalls: api.length,
    oauthCalls: requests.length - api.length,
    byEndpoint: Object.fromEntries(Object.entries(byEndpoint).sort(([, a], [, b]) => b - a)),
    tooManyRequests: api.filter((request) => request.status === 429).length,
    otherErrors: api.filter((request) => request.status >= 400 && request.status !== 429).length,
    perTenant,
    truncated: (requests[0]?.seq ?? 1) > 1,
  };
}

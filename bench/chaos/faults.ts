// What goes wrong at Fortnox during the chaos run, as sandbox faults on its API (/3; the token endpoint is left
// alone: token failures have their own tests). The sandbox takes the first fault that fires for a call, so the
// rates below are of the calls the earlier faults let through; the figures report what was actually injected.
import type { FaultInput } from '../../src/sandbox/fortnox/faults.js';

export interface FaultRates {
  /** Writes (POST, PUT) carried out whose answer is then dropped. */
  applyThenDrop: number;
  /** 500, 502 and 503 answers together. */
  serverError: number;
  /** 429 answers on top of Fortnox's own rate limit. */
  tooManyRequests: number;
  /** Answers held back for `latencySpikeMs`. */
  latencySpike: number;
  latencySpikeMs: number;
}

export const ISSUE_FAULT_RATES: FaultRates = { applyThenDrop: 0.02, serverError: 0.1, tooManyRequests: 0.05, latencySpike: 0.03, latencySpikeMs: 4_000 };
/** Higher rates and shorter stalls, so that a small run (the test suite's 40 invoices) still meets every kind. */
export const DENSE_FAULT_RATES: FaultRates = { applyThenDrop: 0.08, serverError: 0.1, tooManyRequests: 0.05, latencySpike: 0.05, latencySpikeMs: 2_000 };
export const FAULT_PRESETS = { issue: ISSUE_FAULT_RATES, dense: DENSE_FAULT_RATES } as const;

export type FaultKind = 'applyThenDrop' | '5xx' | '429' | 'latency';

/** The sandbox faults for `rates`, each with a seed drawn from `seed` so a run can be repeated. */
export function chaosFaults(rates: FaultRates, seed: number): { kind: FaultKind; input: FaultInput }[] {
  const serverErrors = [500, 502, 503] as const;
  return [
    ...(['POST', 'PUT'] as const).map((method, index) => ({
      kind: 'applyThenDrop' as const,
      input: { route: '/3', method, kind: 'applyThenDrop' as const, rate: rates.applyThenDrop, seed: seed + index },
    })),
    ...serverErrors.map((status, index) => ({
      kind: '5xx' as const,
      // Three faults that together hit `serverError` of the calls reaching them.
      input: { route: '/3', kind: 'status' as const, status, rate: rates.serverError / (serverErrors.length - index * rates.serverError), seed: seed + 10 + index },
    })),
    { kind: '429', input: { route: '/3', kind: 'status', status: 429, rate: rates.tooManyRequests, seed: seed + 20 } },
    { kind: 'latency', input: { route: '/3', kind: 'latency', latencyMs: rates.latencySpikeMs, rate: rates.latencySpike, seed: seed + 30 } },
  ];
}

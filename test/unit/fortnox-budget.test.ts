import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  committedTotal,
  FORTNOX_REQUESTS_PER_WINDOW,
  HEARTBEAT_MS,
  heartbeat,
  HOLD_MS,
  leave,
  type BudgetState,
} from '../../src/transfer/fortnox-budget.js';

/** Every process heartbeats once per period, in order, until `until`; returns each one's last share. */
function run(state: BudgetState, ids: string[], from: number, until: number): Record<string, number> {
  const shares: Record<string, number> = {};
  for (let now = from; now < until; now += HEARTBEAT_MS) for (const id of ids) shares[id] = heartbeat(state, id, now).share;
  return shares;
}

describe('splitting Fortnox’s 25 requests per 5 s between worker processes', () => {
  it('gives a lone process the whole budget at once', () => {
    expect(heartbeat({ members: {} }, 'a', 0)).toEqual({ share: 25, members: 1 });
  });

  it('splits 25 as 13 and 12, and 9, 8, 8: all of it, whatever the count', () => {
    const two: BudgetState = { members: {} };
    expect(run(two, ['a'], 0, 1)).toEqual({ a: 25 });
    expect(run(two, ['a', 'b'], HEARTBEAT_MS, 20_000 + HOLD_MS)).toEqual({ a: 13, b: 12 });
    const thirteen: BudgetState = { members: {} };
    const ids = Array.from({ length: 13 }, (_, index) => `p${String(index).padStart(2, '0')}`);
    const shares = run(thirteen, ids, 0, 3 * HOLD_MS);
    expect(Object.values(shares).reduce((sum, share) => sum + share, 0)).toBe(25);
  });

  it('holds a newcomer at 0 until the old share has run out, then shares', () => {
    const state: BudgetState = { members: {} };
    run(state, ['a'], 0, 10_000);
    // a was last told 25 at 8 000, which counts until 8 000 + HOLD; b joins at 10 000.
    let firstShareOfB: { at: number; share: number } | undefined;
    for (let now = 10_000; now < 40_000; now += HEARTBEAT_MS) {
      heartbeat(state, 'a', now);
      const { share } = heartbeat(state, 'b', now);
      if (share > 0 && firstShareOfB === undefined) firstShareOfB = { at: now, share };
    }
    expect(firstShareOfB?.at).toBeGreaterThanOrEqual(8_000 + HOLD_MS);
    expect(firstShareOfB?.share).toBe(12);
    expect(heartbeat(state, 'a', 40_000).share).toBe(13);
  });

  it('frees a killed process’s share a hold after its last heartbeat, and a cleanly stopped one’s a window after', () => {
    const killed: BudgetState = { members: {} };
    run(killed, ['a', 'b'], 0, 40_000);
    const lastOfB = 38_000;
    expect(heartbeat(killed, 'a', lastOfB + HOLD_MS - 1).share).toBe(13);
    expect(heartbeat(killed, 'a', lastOfB + HOLD_MS + HEARTBEAT_MS).share).toBe(25);

    const stopped: BudgetState = { members: {} };
    run(stopped, ['a', 'b'], 0, 40_000);
    leave(stopped, 'b', 40_000);
    expect(heartbeat(stopped, 'a', 40_000 + 5_000).share).toBe(25);
  });

  it('never commits more than 25 in all, whatever processes come, go, die and ask', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('heartbeat' as const), id: fc.integer({ min: 0, max: 5 }), advance: fc.integer({ min: 0, max: 4_000 }) }),
      fc.record({ kind: fc.constant('leave' as const), id: fc.integer({ min: 0, max: 5 }), advance: fc.integer({ min: 0, max: 4_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 300 }), (events) => {
        const state: BudgetState = { members: {} };
        let now = 0;
        for (const { kind, id, advance } of events) {
          now += advance;
          if (kind === 'heartbeat') heartbeat(state, `p${id}`, now);
          else leave(state, `p${id}`, now);
          if (committedTotal(state, now) > FORTNOX_REQUESTS_PER_WINDOW) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});

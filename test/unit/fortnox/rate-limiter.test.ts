import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SlidingWindowRateLimiter } from '../../../src/fortnox/rate-limiter.js';

/** The largest number of requests whose [start, end] spans touch any one window of `windowMs`. */
function busiestWindow(spans: { start: number; end: number }[], windowMs: number): number {
  // A request counts in a window if it could have reached the server inside it: anywhere in [start, end].
  let busiest = 0;
  for (const { start } of spans) {
    const inWindow = spans.filter((span) => span.end >= start && span.start < start + windowMs).length;
    busiest = Math.max(busiest, inWindow);
  }
  return busiest;
}

describe('SlidingWindowRateLimiter', () => {
  it('never lets more than the limit into one window, with many concurrent callers and varying latency', async () => {
    const limiter = new SlidingWindowRateLimiter({ requests: 5, windowMs: 200 });
    const spans: { start: number; end: number }[] = [];
    await Promise.all(
      Array.from({ length: 23 }, (_, index) =>
        limiter.schedule(async () => {
          const start = performance.now();
          await sleep(index % 3 === 0 ? 40 : 5);
          spans.push({ start, end: performance.now() });
        }),
      ),
    );
    expect(spans).toHaveLength(23);
    expect(busiestWindow(spans, 200)).toBeLessThanOrEqual(5);
  });

  it('runs a full window of requests at once when the budget is free', async () => {
    const limiter = new SlidingWindowRateLimiter({ requests: 5, windowMs: 10_000 });
    const started: number[] = [];
    const begin = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => limiter.schedule(() => Promise.resolve(started.push(performance.now() - begin)))));
    expect(Math.max(...started)).toBeLessThan(100);
  });

  it('passes a failed request on to its caller and frees the queue for the next', async () => {
    const limiter = new SlidingWindowRateLimiter({ requests: 1, windowMs: 20 });
    await expect(limiter.schedule(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.schedule(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('sends nothing with a share of 0, and the waiting requests once the share grows; a smaller share holds new requests until the window has room', async () => {
    const limiter = new SlidingWindowRateLimiter({ requests: 0, windowMs: 300 });
    const sent: number[] = [];
    const started = performance.now();
    const all = Promise.all(Array.from({ length: 4 }, (_, index) => limiter.schedule(() => Promise.resolve(void sent.push(index)))));
    await sleep(100);
    expect(sent).toEqual([]);
    limiter.setRequests(2);
    await sleep(20);
    expect(sent).toEqual([0, 1]);
    // Shrunk to 1 while two are still in the window: the next waits until both have aged out, not one.
    limiter.setRequests(1);
    await all;
    expect(sent).toEqual([0, 1, 2, 3]);
    // 100 ms at 0, then 2 → (both age out at ~400 ms) → 1 → (ages out at ~700 ms) → 1.
    expect(performance.now() - started).toBeGreaterThanOrEqual(650);
  });
});

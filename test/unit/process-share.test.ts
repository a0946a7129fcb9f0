import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { processShare } from '../../src/worker/index.js';

describe("a worker process's share of Fortnox's rate limit", () => {
  it('is the whole 25 per 5 s for a single worker process', () => {
    expect(processShare(loadConfig({}))).toEqual({ requests: 25, windowMs: 5_000 });
  });

  it('divides the 25 between worker processes, rounding down so that together they stay under the limit', () => {
    expect(processShare(loadConfig({ FORTNOX_WORKER_PROCESSES: '3' }))).toEqual({ requests: 8, windowMs: 5_000 });
    expect(processShare(loadConfig({ FORTNOX_WORKER_PROCESSES: '2' }))).toEqual({ requests: 12, windowMs: 5_000 });
  });
});

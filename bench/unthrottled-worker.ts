// The worker of `npm run worker` with one difference: the Fortnox client's own rate limit is lifted
// (BENCH_CLIENT_REQUESTS_PER_SECOND per second), which the product does not make configurable. For the benchmark's
// unthrottled scenario, which measures what the pipeline itself can do. Everything else is the product's worker
// process (src/worker/process.ts).
import { fileURLToPath } from 'node:url';
import { runWorkerProcess } from '../src/worker/process.js';

/** This file, for spawning it: `node --import tsx <UNTHROTTLED_WORKER_ENTRY>`. */
export const UNTHROTTLED_WORKER_ENTRY = fileURLToPath(import.meta.url);

// Run only as the entry point; bench/stack.ts imports this module just for its path.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const perSecond = Number(process.env.BENCH_CLIENT_REQUESTS_PER_SECOND ?? '1000000');
  await runWorkerProcess({ fortnoxRateLimit: { requests: perSecond, windowMs: 1_000 }, banner: ` (client limit ${perSecond}/s)` });
}

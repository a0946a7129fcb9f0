import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { serviceAccounts, startWorkerProcess, workerEnvironment, type WorkerProcess, type WorkerSetup } from '../../src/testkit/worker-process.js';
import { TEST_SECRET, type Pipeline } from './pipeline.js';

/**
 * `npm run worker` as its own process (bench/worker-process.ts), configured for the pipeline's sandboxes and task
 * queue and the run's Temporal: the way tests kill a worker, or run two. Resolves once it runs. `tenants` is the
 * TENANTS_FILE's `fortnox` per tenant (default: `demo` on Fortnox tenant 1 with client credentials); `env`
 * overrides settings (FORTNOX_AUTH_URL, FORTNOX_TOKEN_DIR, …).
 */
export function startTestWorkerProcess(
  pipeline: Pipeline,
  options: { tenants?: WorkerSetup['tenants']; env?: Record<string, string> } = {},
): Promise<WorkerProcess> {
  const environment = workerEnvironment({
    temporalAddress: inject('temporalAddress'),
    namespace: inject('temporalNamespace'),
    taskQueue: pipeline.taskQueue,
    bundlePath: inject('workflowBundlePath'),
    fortnoxUrl: pipeline.fortnox.url,
    summaUrl: pipeline.summa.url,
    summaSecret: TEST_SECRET,
    tenants: options.tenants ?? serviceAccounts({ demo: '1' }),
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'worker-process-')),
  });
  return startWorkerProcess({ ...environment, ...options.env });
}

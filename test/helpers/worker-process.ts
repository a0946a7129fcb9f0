import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import type { TenantSettings } from '../../src/tenants.js';
import { TEST_SECRET, type Pipeline } from './pipeline.js';

export interface TestWorkerProcess {
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  exited: Promise<unknown>;
}

/**
 * `npm run worker` as its own process, configured for the pipeline's sandboxes and task queue: the way tests kill
 * a worker, or run two. `tenants` is the TENANTS_FILE content (default: `demo` on Fortnox tenant 1 with client
 * credentials); `env` overrides settings (FORTNOX_AUTH_URL, FORTNOX_TOKEN_DIR, …).
 */
export function spawnWorkerProcess(
  pipeline: Pipeline,
  options: { tenants?: Record<string, Pick<TenantSettings, 'fortnox'>>; env?: Record<string, string> } = {},
): TestWorkerProcess {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'worker-process-'));
  const tenantsFile = path.join(dir, 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify(options.tenants ?? { demo: { fortnox: { auth: 'clientCredentials', tenantId: '1' } } }));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'cli', 'worker.ts')], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TASK_QUEUE: pipeline.taskQueue,
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      FORTNOX_API_URL: pipeline.fortnox.url,
      FORTNOX_AUTH_URL: `${pipeline.fortnox.url}/oauth-v1`,
      FORTNOX_CLIENT_ID: SANDBOX_CLIENT.clientId,
      FORTNOX_CLIENT_SECRET: SANDBOX_CLIENT.clientSecret,
      TENANTS_FILE: tenantsFile,
      SUMMA_URL: pipeline.summa.url,
      SUMMA_SECRET: TEST_SECRET,
      DATA_DIR: dir,
      ...options.env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { process: child, output: () => output, exited };
}

// The workflow bundle the benchmark's and the chaos run's worker processes load, built once per run (as the SDK
// recommends for production) so that every worker start takes seconds, not the bundler's time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { bundleWorkflows } from '../src/temporal/workflow-bundle.js';

export async function writeWorkflowBundle(): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-bundle-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, await bundleWorkflows(new DefaultLogger('WARN')));
  return { path: bundlePath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

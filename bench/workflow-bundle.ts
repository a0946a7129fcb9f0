// The workflow bundle the benchmark's and the chaos run's worker processes load, built once per run (as the SDK
// recommends for production) so that every worker start takes seconds, not the bundler's time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { projectRoot } from '../src/paths.js';
import { FAILURE_CONVERTER_PATH } from '../src/temporal/data-converter.js';

export async function writeWorkflowBundle(): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-bundle-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(projectRoot, 'workflows', 'index.ts'),
    logger: new DefaultLogger('WARN'),
    // As a production bundle must be (README, Data protection): failure messages go to Temporal encrypted.
    failureConverterPath: FAILURE_CONVERTER_PATH,
  });
  writeFileSync(bundlePath, code);
  return { path: bundlePath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

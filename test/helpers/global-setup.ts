import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config/env.js';
import { requireTemporalCli } from '../../src/temporal/cli.js';
import { startDevServer } from '../../src/temporal/dev-server.js';
import { bundleWorkflows } from '../../src/temporal/workflow-bundle.js';
import { searchAttributes } from '../../src/transfer/index.js';
import { freePort } from '../../src/http/free-port.js';
import { quietLogger } from './quiet-logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the run's Temporal dev server. */
    temporalAddress: string;
    temporalNamespace: string;
    /** The workflow bundle built once for the run; pass as `workflowBundle: { codePath }`. */
    workflowBundlePath: string;
  }
}

/**
 * Starts one real Temporal dev server for the whole run (random port, its own SQLite file, the project's search
 * attributes) and builds the workflow bundle once. The teardown stops the server whatever happened.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  const cli = requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH });
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-test-'));
  const namespace = 'test';
  const server = await startDevServer({
    cli,
    port: await freePort(),
    dbFile: path.join(workDir, 'temporal.db'),
    namespace,
    searchAttributes,
  });
  const teardown = async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const workflowBundlePath = path.join(workDir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, await bundleWorkflows(quietLogger));
    project.provide('temporalAddress', server.address);
    project.provide('temporalNamespace', namespace);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

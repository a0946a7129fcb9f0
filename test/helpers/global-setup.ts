import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config/env.js';
import { requireTemporalCli } from '../../src/temporal/cli.js';
import { startDevServer } from '../../src/temporal/dev-server.js';
import { ensureNamespace } from '../../src/temporal/namespace.js';
import { bundleWorkflows } from '../../src/temporal/workflow-bundle.js';
import { searchAttributes } from '../../src/transfer/index.js';
import { freePort } from '../../src/http/free-port.js';
import { quietLogger } from './quiet-logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the run's Temporal: its own dev server, or the one TEMPORAL_ADDRESS names. */
    temporalAddress: string;
    temporalNamespace: string;
    /** The workflow bundle built once for the run; pass as `workflowBundle: { codePath }`. */
    workflowBundlePath: string;
  }
}

/**
 * A namespace of the run's own on a Temporal that someone else runs (TEMPORAL_ADDRESS, e.g. `npm run cluster`): the
 * tests use fixed workflow IDs, which a namespace kept from an earlier run would answer with that run's workflows.
 * The namespace and its search attributes are registered here and the namespace deleted afterwards; the server
 * itself is left as it was found.
 */
async function useExistingServer(address: string): Promise<{ namespace: string; teardown: () => Promise<void> }> {
  const namespace = `test-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const connection = await Connection.connect({ address });
  try {
    await ensureNamespace(connection, { namespace, retentionDays: 1, searchAttributes });
  } catch (error) {
    await connection.close();
    throw new Error(`TEMPORAL_ADDRESS=${address}: could not register the test namespace there: ${error instanceof Error ? error.message : String(error)}`);
  }
  const teardown = async () => {
    try {
      await connection.operatorService.deleteNamespace({ namespace });
    } finally {
      await connection.close();
    }
  };
  return { namespace, teardown };
}

/**
 * Starts one real Temporal dev server for the whole run (random port, its own SQLite file, the project's search
 * attributes) and builds the workflow bundle once. The teardown stops the server whatever happened. With
 * TEMPORAL_ADDRESS set it starts none and runs the tests in a namespace of their own on that server instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-test-'));
  let temporal: { address: string; namespace: string; teardown: () => Promise<void> };
  try {
    if (config.TEMPORAL_ADDRESS === undefined) {
      const cli = requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH });
      const namespace = 'test';
      const server = await startDevServer({
        cli,
        port: await freePort(),
        dbFile: path.join(workDir, 'temporal.db'),
        namespace,
        searchAttributes,
      });
      temporal = { address: server.address, namespace, teardown: () => server.stop() };
    } else {
      temporal = { address: config.TEMPORAL_ADDRESS, ...(await useExistingServer(config.TEMPORAL_ADDRESS)) };
    }
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  const teardown = async () => {
    await temporal.teardown();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const workflowBundlePath = path.join(workDir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, await bundleWorkflows(quietLogger));
    project.provide('temporalAddress', temporal.address);
    project.provide('temporalNamespace', temporal.namespace);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

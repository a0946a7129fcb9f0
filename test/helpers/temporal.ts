import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities/index.js';

export interface TestTemporal {
  client: Client;
  /** Runs a real worker on a fresh task queue, with the run's prebuilt bundle, until `fn` settles. */
  withWorker<T>(deps: ActivityDeps, fn: (taskQueue: string) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Connects to the run's dev server (started by global-setup.ts). */
export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    client,
    async withWorker(deps, fn) {
      const taskQueue = `test-${randomUUID()}`;
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activities: createActivities(deps),
      });
      return await worker.runUntil(fn(taskQueue));
    },
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

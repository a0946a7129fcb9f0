import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import { projectRoot } from '../paths.js';
import { fortnoxTaskQueue } from '../transfer/index.js';
import path from 'node:path';

export interface IntegrationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The Summa tenants served: each gets a worker on its own Fortnox task queue. */
  tenants: readonly string[];
  deps: ActivityDeps;
  /** Server-side cap on a tenant's Fortnox activities per second, shared by every worker process. */
  fortnoxActivitiesPerSecond: number;
  /** A prebuilt bundle (tests, production); default: bundle `workflows/` at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * Encrypts payloads and failures (`encryptingDataConverter`); default: Temporal's, in clear. A prebuilt bundle
   * must have been built with the same `failureConverterPath`.
   */
  dataConverter?: WorkerOptions['dataConverter'];
}

export interface IntegrationWorkers {
  /** Resolves when every worker has stopped. */
  run(): Promise<void>;
  /** Stops polling, lets running activities finish (up to the grace time), then resolves `run()`. */
  shutdown(): void;
}

/**
 * The composition root of the worker side: one worker for the workflows and Summa reporting, and one per tenant
 * for its Fortnox activities, on the tenant's own task queue with a server-side rate limit.
 */
export async function createIntegrationWorkers(options: IntegrationWorkerOptions): Promise<IntegrationWorkers> {
  const activities = createActivities(options.deps);
  const { reportToSumma, ...fortnoxActivities } = activities;
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    shutdownGraceTime: '10 seconds',
    ...(options.dataConverter === undefined ? {} : { dataConverter: options.dataConverter }),
  } as const;
  const workflowSource =
    options.workflowBundle === undefined ? { workflowsPath: path.join(projectRoot, 'workflows', 'index.ts') } : { workflowBundle: options.workflowBundle };
  const workers = [
    await Worker.create({ ...common, ...workflowSource, taskQueue: options.taskQueue, activities: { reportToSumma } }),
    ...(await Promise.all(
      options.tenants.map((tenant) =>
        Worker.create({
          ...common,
          taskQueue: fortnoxTaskQueue(options.taskQueue, tenant),
          activities: fortnoxActivities,
          maxTaskQueueActivitiesPerSecond: options.fortnoxActivitiesPerSecond,
        }),
      ),
    )),
  ];
  return {
    run: async () => {
      await Promise.all(workers.map((worker) => worker.run()));
    },
    shutdown: () => workers.forEach((worker) => worker.shutdown()),
  };
}

/** What activities get from the worker: real clients in production, sandbox-backed ones in tests. */
export type ActivityDeps = {
  /** Name of the worker process, reported back by the placeholder activity. */
  workerName: string;
};

/**
 * Builds the activities with their dependencies injected. Placeholder until the invoice pipeline lands: one
 * activity that proves a worker picked the task up.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    acknowledgePing(input: { message: string }): Promise<{ reply: string }> {
      return Promise.resolve({ reply: `${deps.workerName} received: ${input.message}` });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

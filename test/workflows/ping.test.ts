import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ping } from '../../workflows/index.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';

describe('ping workflow on the real dev server', () => {
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal.close();
  });

  it('runs its activity on a real worker and returns the reply', async () => {
    const result = await temporal.withWorker({ workerName: 'worker-under-test' }, (taskQueue) =>
      temporal.client.workflow.execute(ping, { taskQueue, workflowId: `ping-${randomUUID()}`, args: [{ message: 'hej' }] }),
    );
    expect(result).toEqual({ reply: 'worker-under-test received: hej' });
  });
});

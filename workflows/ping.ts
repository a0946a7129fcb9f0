import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { acknowledgePing } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** Placeholder workflow: a round trip through one activity, proving that server, worker and bundle fit. */
export async function ping(input: { message: string }): Promise<{ reply: string }> {
  return await acknowledgePing(input);
}

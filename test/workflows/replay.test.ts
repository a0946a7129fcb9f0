import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { quietLogger } from '../helpers/quiet-logger.js';

const histories = path.join(projectRoot, 'test', 'histories');
const loadHistory = (file: string): unknown => JSON.parse(readFileSync(path.join(histories, file), 'utf8'));

describe('replay of committed histories', () => {
  it('replays the recorded ping history against the current workflow code', async () => {
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, loadHistory('ping.json'));
  });

  it('fails with a determinism violation when the workflow code changed incompatibly', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: path.join(projectRoot, 'test', 'workflows', 'fixtures', 'ping-changed.ts'),
      logger: quietLogger,
    });
    await expect(Worker.runReplayHistory({ workflowBundle: changed }, loadHistory('ping.json'))).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { quietLogger } from '../helpers/quiet-logger.js';

const directory = path.join(projectRoot, 'test', 'histories');
const histories = readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, history: JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as unknown }));

// Histories carry no workflow id; the workflows read theirs, so give each the id it ran under.
// `*.v1.json`: recorded before the five-step transfer (workflows/legacy/); the others with today's code.
const workflowIds: Record<string, string> = {
  'invoice-transfer-transferred.json': 'invoice/demo/H-1',
  'invoice-transfer-cancelled.json': 'invoice/demo/H-2',
  'invoice-export.json': 'export/demo/E-1',
  'invoice-transfer-in-export.json': 'invoice/demo/H-4',
  'invoice-transfer-transferred.v1.json': 'invoice/demo/H-1',
  'invoice-transfer-cancelled.v1.json': 'invoice/demo/H-2',
  'invoice-export.v1.json': 'export/demo/E-1',
  'invoice-transfer-in-export.v1.json': 'invoice/demo/H-4',
};

describe('replay of committed histories', () => {
  it('has histories of both workflows to replay', () => {
    expect(histories.map(({ file }) => file).sort()).toEqual(Object.keys(workflowIds).sort());
  });

  it.each(histories)('replays $file against the current workflow code', async ({ file, history }) => {
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file }, history, workflowIds[file]);
  });

  it('fails with a determinism violation when the workflow code changed incompatibly', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: path.join(projectRoot, 'test', 'workflows', 'fixtures', 'changed-workflows.ts'),
      logger: quietLogger,
    });
    for (const { file, history } of histories) {
      await expect(Worker.runReplayHistory({ workflowBundle: changed }, history, workflowIds[file]), file).rejects.toBeInstanceOf(DeterminismViolationError);
    }
  });
});

import type { Logger } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { moduleFile } from '../paths.js';
import { FAILURE_CONVERTER_PATH } from './data-converter.js';

/**
 * The workflow bundle's code, as a prebuilt `WORKFLOW_BUNDLE` must be: with the product's failure converter, so
 * failures raised in workflow code go to Temporal encrypted when a payload key is configured.
 */
export async function bundleWorkflows(logger?: Logger): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: moduleFile('workflows/index'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    ...(logger === undefined ? {} : { logger }),
  });
  return code;
}

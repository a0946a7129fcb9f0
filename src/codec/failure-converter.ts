// Loaded by path (`failureConverterPath`): by the worker with require(), and by the bundler into the workflow
// bundle. Keep it plain JavaScript in a .ts file, so Node can require it without a TypeScript loader.
import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into an encoded payload (so the payload codec encrypts them), instead of
 * in clear into the history: our messages name customers, organisation numbers and Fortnox's own error texts.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

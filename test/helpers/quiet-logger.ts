import { DefaultLogger } from '@temporalio/worker';

/** Temporal's logger at WARN: keeps worker state changes and webpack chatter out of test output. */
export const quietLogger = new DefaultLogger('WARN');

// Runs in every test process before its tests: Temporal's runtime must be installed before any worker exists.
import { Runtime } from '@temporalio/worker';
import { quietLogger } from './quiet-logger.js';

Runtime.install({ logger: quietLogger });

// Runs in every test process before its tests: Temporal's runtime must be installed before any worker exists.
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { quietLogger } from './quiet-logger.js';

// Core logs at ERROR: replay tests provoke nondeterminism warnings on purpose.
Runtime.install({ logger: quietLogger, telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

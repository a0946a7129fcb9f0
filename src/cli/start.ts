// `npm start`: runs the integration on embedded defaults. Today that is the Temporal dev server with its Web UI
// (state under DATA_DIR, so workflows survive a restart), or a connection check of TEMPORAL_ADDRESS when set.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../config.js';
import { requireTemporalCli } from '../temporal/cli.js';
import { startDevServer, type DevServer } from '../temporal/dev-server.js';
import { searchAttributes } from '../../workflows/search-attributes.js';

async function main(): Promise<void> {
  const config = loadConfig();
  let server: DevServer | undefined;
  let address: string;
  if (config.TEMPORAL_ADDRESS !== undefined) {
    address = config.TEMPORAL_ADDRESS;
    const connection = await Connection.connect({ address });
    await connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
    await connection.close();
    console.log(`Temporal:        ${address} (namespace ${config.TEMPORAL_NAMESPACE}; TEMPORAL_ADDRESS is set, no dev server started)`);
  } else {
    const cli = requireTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH });
    mkdirSync(config.DATA_DIR, { recursive: true });
    server = await startDevServer({
      cli,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: path.join(config.DATA_DIR, 'temporal.db'),
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes,
    });
    address = server.address;
    console.log(`Temporal:        ${address} (namespace ${config.TEMPORAL_NAMESPACE}, state in ${config.DATA_DIR}/)`);
    console.log(`Temporal Web UI: ${server.uiUrl ?? '(off)'}`);
  }
  console.log('Press Ctrl-C to stop.');

  const signal = await untilStopSignal();
  console.log(`\n${signal}: stopping …`);
  await server?.stop();
  console.log('Stopped.');
}

/**
 * Resolves on the first SIGINT (Ctrl-C) or SIGTERM, keeping the process alive until then. The handlers stay
 * installed so that the copies of the signal that npm and tsx relay do not kill the process while it stops.
 */
function untilStopSignal(): Promise<NodeJS.Signals> {
  const keepAlive = setInterval(() => undefined, 60_000);
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

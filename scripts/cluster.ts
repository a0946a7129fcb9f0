// `npm run cluster`: a real Temporal cluster on this machine — the server built from source with Go, on
// PostgreSQL, with SQL visibility and task-queue fairness, and the Web UI when its server builds. Everything lives in
// .cluster/ (ignored); the processes outlive this script. See docs/cluster.md.
//
//   npm run cluster                               # start (the first run builds for about 6 minutes)
//   npm run cluster -- start --port 17233 --namespace invoices
//   npm run cluster -- status | stop | reset      # reset deletes the data, keeps the binaries
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createCluster } from '../src/cluster/cluster.js';
import { clusterLayout } from '../src/cluster/layout.js';
import { loadConfig } from '../src/config/env.js';

const port = z.coerce.number().int().min(1024).max(65000);
const argumentsSchema = z.object({
  command: z.enum(['start', 'stop', 'status', 'reset']).default('start'),
  port: port.default(7233),
  'ui-port': port.optional(),
  'postgres-port': port.default(55432),
  namespace: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/, 'a namespace name: letters, digits, . _ -')).default([]),
  'rebuild-ui': z.boolean().default(false),
});

const usage =
  'usage: npm run cluster -- [start|stop|status|reset] [--port 7233] [--ui-port PORT+1000] [--postgres-port 55432] [--namespace NAME]... [--rebuild-ui]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      'postgres-port': { type: 'string' },
      namespace: { type: 'string', multiple: true },
      'rebuild-ui': { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw new Error(usage);
  const parsed = argumentsSchema.safeParse({ ...values, command: positionals[0] });
  if (!parsed.success) throw new Error(`${usage}\n${z.prettifyError(parsed.error)}`);
  const settings = parsed.data;
  const config = loadConfig();
  const cluster = createCluster({ layout: clusterLayout(), pathVariable: config.PATH, log: (line) => console.log(line) });
  switch (settings.command) {
    case 'start':
      await cluster.start({
        frontendPort: settings.port,
        uiPort: settings['ui-port'],
        postgresPort: settings['postgres-port'],
        namespaces: settings.namespace,
        rebuildUi: settings['rebuild-ui'],
      });
      break;
    case 'stop':
      await cluster.stop();
      break;
    case 'status':
      if (!(await cluster.status())) process.exitCode = 3;
      break;
    case 'reset':
      await cluster.reset();
      break;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

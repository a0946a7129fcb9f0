// `npm run chaos`: 1,000 invoices from Summa through the hook into the Fortnox sandbox while Fortnox fails (5xx,
// 429, writes applied and their answers dropped, latency spikes), the worker is SIGKILLed three times, the
// persisted Temporal dev server and the hook server are each restarted once; then an audit of Fortnox, Summa and
// Temporal. Exits 1 if the audit finds anything lost, duplicated or left unsettled.
//
//   npm run chaos                                  # the run (~10 min on 2 cores)
//   npm run chaos -- --invoices 200 --seed 7       # smaller, another schedule of faults and disruptions
//   npm run chaos -- --out chaos.json              # also write the figures as JSON
//   npm run chaos -- --faults dense --invoices 40  # faults at higher rates, so a small run meets every kind
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { auditPassed } from '../bench/chaos/audit.js';
import { FAULT_PRESETS } from '../bench/chaos/faults.js';
import { formatChaosReport } from '../bench/chaos/report.js';
import { runChaos } from '../bench/chaos/run.js';
import { writeWorkflowBundle } from '../bench/workflow-bundle.js';

const argumentsSchema = z.object({
  invoices: z.coerce.number().int().min(1).max(100_000).default(1_000),
  tenants: z.coerce.number().int().min(1).max(50).default(4),
  kills: z.coerce.number().int().min(0).max(20).default(3),
  seed: z.coerce.number().int().default(() => Math.floor(Math.random() * 1_000_000)),
  'export-share': z.coerce.number().min(0).max(1).default(0.4),
  'sending-seconds': z.coerce.number().min(0).max(3_600).default(60),
  out: z.string().min(1).optional(),
  faults: z.enum(['issue', 'dense']).default('issue'),
  /** A prebuilt workflow bundle (as the tests have one); default: bundle now. */
  bundle: z.string().min(1).optional(),
  'settle-minutes': z.coerce.number().positive().max(120).default(15),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      invoices: { type: 'string' },
      tenants: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string' },
      'export-share': { type: 'string' },
      'sending-seconds': { type: 'string' },
      out: { type: 'string' },
      faults: { type: 'string' },
      bundle: { type: 'string' },
      'settle-minutes': { type: 'string' },
    },
  });
  const parsed = argumentsSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(`usage: npm run chaos -- [--invoices 1000] [--tenants 4] [--kills 3] [--seed N] [--export-share 0.4] [--sending-seconds 60] [--faults issue|dense] [--bundle file] [--settle-minutes 15] [--out file.json]\n${z.prettifyError(parsed.error)}`);
  }
  const settings = parsed.data;
  if (settings.bundle === undefined) console.error(`Bundling the workflows …`);
  const bundle = settings.bundle === undefined ? await writeWorkflowBundle() : { path: settings.bundle, remove: () => undefined };
  try {
    const report = await runChaos({
      invoices: settings.invoices,
      tenants: settings.tenants,
      exportShare: settings['export-share'],
      sendingSeconds: settings['sending-seconds'],
      workerKills: settings.kills,
      seed: settings.seed,
      faults: FAULT_PRESETS[settings.faults],
      bundlePath: bundle.path,
      settleTimeoutMs: settings['settle-minutes'] * 60_000,
      log: (line) => console.error(line),
    });
    console.log(formatChaosReport(report));
    if (settings.out !== undefined) writeFileSync(settings.out, `${JSON.stringify(report, null, 2)}\n`);
    if (!auditPassed(report.audit)) process.exitCode = 1;
  } finally {
    bundle.remove();
  }
}

// Stopped from outside: exit normally, so that the exit hook kills the worker and the Temporal server.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

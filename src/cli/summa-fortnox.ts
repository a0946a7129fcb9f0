// The operator's command line: `npm run cli -- <command> …`. Talks to the same Temporal the worker uses.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createTransferService } from '../client/transfer-service.js';
import { loadConfig } from '../config/env.js';
import { describeForLog } from '../log/redact.js';
import { temporalTarget } from '../temporal/connection.js';
import { payloadProtection } from '../temporal/data-converter.js';
import { fieldProblems, summaExportSchema, summaInvoiceSchema } from '../summa/invoice-contract.js';
import type { StuckFilter, TransferService, TransferView } from '../transfer/index.js';

const usage = `usage: npm run cli -- <command> [--json]
  transfer <invoice.json>                      send one invoice
  export <export.json | directory> [--tenant T --export-id E]
                                               send an export (a directory: one invoice per .json file)
  status <tenant> <invoiceId>                  where a transfer stands
  stuck [tenant]                               every transfer that needs attention, with what to fix
  retry <tenant> <invoiceId>                   resume a transfer after fixing what it asked for
  retry --all <tenant> [--step S] [--since T]  resume every transfer of the tenant that needs attention
                                               (only those stopped at step S / started at or after T, ISO 8601)
  cancel <tenant> <invoiceId> --reason "…"     give up on a transfer (Summa is told)
  cancel --all <tenant> --reason "…" [--step S] [--since T]
                                               give up on every transfer of the tenant that needs attention
  cancel-export <tenant> <exportId> --reason "…"
                                               cancel an export's queued transfers (running and finished ones stay)
  sandbox [--port P]                           run the local Fortnox (same as npm run sandbox)`;

class UsageError extends Error {}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function problemsText(file: string, error: Parameters<typeof fieldProblems>[0]): string {
  return `${file} is not a valid Summa invoice:\n${fieldProblems(error).map((problem) => `  - ${problem.path}: ${problem.message}`).join('\n')}`;
}

function viewText(view: TransferView): string {
  const lines = [`${view.workflowId}: ${view.status}${view.step === undefined ? '' : ` (step ${view.step}${view.retries === 0 ? '' : `, retried ${view.retries}×`})`}`];
  if (view.fortnoxInvoiceNumber !== undefined) lines.push(`  Fortnox invoice ${view.fortnoxInvoiceNumber}, customer ${view.fortnoxCustomerNumber ?? '?'}`);
  if (view.message !== undefined) lines.push(`  ${view.message}`);
  return lines.join('\n');
}

function exportBody(target: string, values: { tenant?: string | undefined; 'export-id'?: string | undefined }): unknown {
  if (!statSync(target).isDirectory()) return readJson(target);
  const files = readdirSync(target).filter((file) => file.endsWith('.json')).sort();
  const invoices = files.map((file) => readJson(path.join(target, file)));
  const tenant = values.tenant ?? (invoices[0] as { tenant?: unknown } | undefined)?.tenant;
  return { tenant, exportId: values['export-id'] ?? path.basename(path.resolve(target)), invoices };
}

async function followExport(service: TransferService, tenant: string, exportId: string, json: boolean): Promise<void> {
  for (;;) {
    const progress = await service.exportProgress(tenant, exportId);
    if (progress === undefined) throw new Error(`Export ${exportId} of ${tenant} is not known.`);
    const done = progress.transferred + progress.cancelled + progress.needsAttention;
    if (!json) {
      const width = 30;
      const filled = Math.round((width * done) / Math.max(progress.total, 1));
      process.stdout.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.transferred}/${progress.total} transferred, ${progress.needsAttention} need attention, ${progress.cancelled} cancelled, ${progress.running} running   `,
      );
    }
    if (progress.finished || (progress.running === 0 && progress.queued === 0 && done >= progress.total)) {
      if (json) console.log(JSON.stringify(progress));
      else process.stdout.write('\n');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** --step and --since of a bulk retry or cancel; a --since that is not a date is refused, naming it. */
function bulkFilter(values: { step?: string | undefined; since?: string | undefined }): StuckFilter {
  const filter: StuckFilter = {};
  if (values.step !== undefined) filter.step = values.step;
  if (values.since !== undefined) {
    const since = new Date(values.since);
    if (Number.isNaN(since.getTime())) throw new UsageError(`--since ${values.since}: not a date and time; write e.g. 2026-12-01 or 2026-12-01T08:00:00Z`);
    filter.since = since;
  }
  return filter;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      reason: { type: 'string' },
      tenant: { type: 'string' },
      'export-id': { type: 'string' },
      port: { type: 'string' },
      all: { type: 'boolean', default: false },
      step: { type: 'string' },
      since: { type: 'string' },
    },
  });
  const [command, ...args] = positionals;
  if (command === 'sandbox') {
    // The sandbox has its own entry point; delegate so there is one way to run it.
    process.argv = [process.argv[0] ?? 'node', 'sandbox', ...(values.port === undefined ? [] : ['--port', values.port])];
    await import('./sandbox.js');
    return;
  }
  const config = loadConfig();
  const target = temporalTarget(config);
  const connection = await Connection.connect(target.connection);
  // The same keys as the worker (PAYLOAD_KEYS, PAYLOAD_KEY_FILE or the demo's DATA_DIR/payload-keys.json), or the
  // CLI could neither start a transfer the worker can read nor read what it answers.
  const dataConverter = payloadProtection(config)?.dataConverter;
  const client = new Client({ connection, namespace: target.namespace, ...(dataConverter === undefined ? {} : { dataConverter }) });
  const service = createTransferService({ client, taskQueue: config.TASK_QUEUE });
  const print = (value: unknown, text: string) => console.log(values.json ? JSON.stringify(value) : text);
  try {
    switch (command) {
      case 'transfer': {
        const file = args[0];
        if (file === undefined) throw new UsageError('transfer needs a file');
        const parsed = summaInvoiceSchema.safeParse(readJson(file));
        if (!parsed.success) throw new UsageError(problemsText(file, parsed.error));
        const result = await service.transfer(parsed.data);
        print(result, `${result.workflowId}: ${result.outcome}`);
        break;
      }
      case 'export': {
        const target = args[0];
        if (target === undefined) throw new UsageError('export needs a file or directory');
        const parsed = summaExportSchema.safeParse(exportBody(target, values));
        if (!parsed.success) throw new UsageError(problemsText(target, parsed.error));
        const result = await service.export(parsed.data);
        if (!values.json) console.log(`${result.workflowId}: ${result.outcome}`);
        await followExport(service, parsed.data.tenant, parsed.data.exportId, values.json);
        break;
      }
      case 'status': {
        const [tenant, invoiceId] = args;
        if (tenant === undefined || invoiceId === undefined) throw new UsageError('status needs <tenant> <invoiceId>');
        const view = await service.status(tenant, invoiceId);
        if (view === undefined) throw new UsageError(`Invoice ${invoiceId} of ${tenant} was never sent.`);
        print(view, viewText(view));
        break;
      }
      case 'stuck': {
        const views = await service.stuck(args[0]);
        print(views, views.length === 0 ? 'Nothing needs attention.' : views.map(viewText).join('\n'));
        break;
      }
      case 'retry': {
        if (values.all) {
          const tenant = args[0];
          if (tenant === undefined || args.length > 1) throw new UsageError('retry --all needs <tenant> (and no invoice id)');
          const { workflowIds } = await service.retryAll(tenant, bulkFilter(values));
          print({ retried: workflowIds }, `Retrying ${workflowIds.length} transfer${workflowIds.length === 1 ? '' : 's'} of ${tenant}${workflowIds.map((id) => `\n  ${id}`).join('')}`);
          break;
        }
        const [tenant, invoiceId] = args;
        if (tenant === undefined || invoiceId === undefined) throw new UsageError('retry needs <tenant> <invoiceId>');
        await service.retry(tenant, invoiceId);
        print({ retried: true }, `Retrying invoice ${invoiceId} of ${tenant}.`);
        break;
      }
      case 'cancel': {
        if (values.all) {
          const tenant = args[0];
          if (tenant === undefined || args.length > 1 || values.reason === undefined || values.reason.trim() === '') {
            throw new UsageError('cancel --all needs <tenant> --reason "why" (and no invoice id)');
          }
          const { workflowIds } = await service.cancelAll(tenant, values.reason, bulkFilter(values));
          print({ cancelled: workflowIds }, `Cancelling ${workflowIds.length} transfer${workflowIds.length === 1 ? '' : 's'} of ${tenant}: ${values.reason}${workflowIds.map((id) => `\n  ${id}`).join('')}`);
          break;
        }
        const [tenant, invoiceId] = args;
        if (tenant === undefined || invoiceId === undefined || values.reason === undefined || values.reason.trim() === '') {
          throw new UsageError('cancel needs <tenant> <invoiceId> --reason "why"');
        }
        await service.cancel(tenant, invoiceId, values.reason);
        print({ cancelled: true }, `Cancelling invoice ${invoiceId} of ${tenant}: ${values.reason}`);
        break;
      }
      case 'cancel-export': {
        const [tenant, exportId] = args;
        if (tenant === undefined || exportId === undefined || values.reason === undefined || values.reason.trim() === '') {
          throw new UsageError('cancel-export needs <tenant> <exportId> --reason "why"');
        }
        await service.cancelExport(tenant, exportId, values.reason);
        print({ cancelled: true }, `Cancelling the queued transfers of export ${exportId} of ${tenant}: ${values.reason}`);
        break;
      }
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command: ${command}`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${usage}`);
  else console.error(describeForLog(error));
  process.exit(error instanceof UsageError ? 2 : 1);
});

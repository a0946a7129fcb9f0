import { createWriteStream } from 'node:fs';
import { inspect } from 'node:util';
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { PayloadKeys } from '../codec/keys.js';
import type { Config } from '../config/env.js';
import type { TenantSettings } from '../config/tenants.js';
import { UNENCRYPTED_WARNING, type PayloadProtection } from '../temporal/data-converter.js';
import { useMetricMeter } from '../metrics/meter.js';
import { HOOK_TO_WRITE_BACK, HOOK_TO_WRITE_BACK_BUCKETS_MS } from '../transfer/metrics.js';
import { redactingLogger } from './redact.js';

/** Every secret value this process holds, so logs can mask it wherever it turns up. */
export function configuredSecrets(
  config: Pick<Config, 'FORTNOX_CLIENT_SECRET' | 'SUMMA_SECRET' | 'CODEC_SERVER_TOKEN'>,
  tenants: Record<string, TenantSettings> = {},
  keys: PayloadKeys | undefined = undefined,
): string[] {
  return [
    config.FORTNOX_CLIENT_SECRET,
    config.SUMMA_SECRET,
    config.CODEC_SERVER_TOKEN,
    ...Object.values(tenants).map((tenant) => tenant.summaSecret),
    ...(keys ?? []).map((key) => key.key.toString('base64')),
  ].filter((secret): secret is string => secret !== undefined);
}

const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

function line(entry: LogEntry): string {
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return `${at} [${entry.level}] ${entry.message}${entry.meta === undefined ? '' : ` ${inspect(entry.meta, { breakLength: Infinity, depth: 6 })}`}\n`;
}

/**
 * Installs Temporal's Runtime with a logger that redacts secrets: worker, activity and workflow logs (activity
 * failures carry Fortnox's and ky's error texts) go through it. Call before the first NativeConnection or Worker.
 * `secrets` is read at every log line, so values added later (a generated token) are masked too.
 *
 * stderr gets the lines at `level` or above (LOG_LEVEL, default WARN: what goes wrong, not the bundler's module
 * list or routine worker state changes); `file`, when given, gets every line from INFO up (or from `level`, if
 * that is lower), appended, so nothing is lost by keeping the terminal quiet.
 */
export function installRedactingRuntime(secrets: readonly string[], options: { level?: LogLevel; file?: string; metricsAddress?: string } = {}): void {
  const shown = LEVELS.indexOf(options.level ?? 'WARN');
  const kept = options.file === undefined ? shown : Math.min(shown, LEVELS.indexOf('INFO'));
  const file = options.file === undefined ? undefined : createWriteStream(options.file, { flags: 'a', mode: 0o600 });
  const write = (entry: LogEntry) => {
    const text = line(entry);
    file?.write(text);
    if (LEVELS.indexOf(entry.level) >= shown) process.stderr.write(text);
  };
  Runtime.install({
    logger: redactingLogger(new DefaultLogger(LEVELS[kept] ?? 'WARN', write), secrets),
    // The SDK's native core logs through the same logger, so LOG_LEVEL, the file and redaction apply to it too.
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      // Temporal's metrics and ours (src/metrics/names.ts) in one Prometheus text, read by src/metrics/server.ts.
      ...(options.metricsAddress === undefined
        ? {}
        : { metrics: { prometheus: { bindAddress: options.metricsAddress, histogramBucketOverrides: { [HOOK_TO_WRITE_BACK]: HOOK_TO_WRITE_BACK_BUCKETS_MS } } } }),
    },
  });
  if (options.metricsAddress !== undefined) useMetricMeter(Runtime.instance().metricMeter);
}

/**
 * What every process of the integration (npm start, worker, hook) does before it connects: adds the secrets it holds
 * to `secrets` (so its logs and its last error mask them), installs the redacting runtime at LOG_LEVEL (with the
 * whole log in `file`, if given), and warns when histories will not be encrypted.
 */
export function installProcessLogging(
  secrets: string[],
  config: Pick<Config, 'FORTNOX_CLIENT_SECRET' | 'SUMMA_SECRET' | 'CODEC_SERVER_TOKEN' | 'LOG_LEVEL'>,
  tenants: Record<string, TenantSettings>,
  protection: PayloadProtection | undefined,
  options: { file?: string; metricsAddress?: string | undefined } = {},
): void {
  secrets.push(...configuredSecrets(config, tenants, protection?.keys));
  installRedactingRuntime(secrets, {
    level: config.LOG_LEVEL,
    ...(options.file === undefined ? {} : { file: options.file }),
    ...(options.metricsAddress === undefined ? {} : { metricsAddress: options.metricsAddress }),
  });
  if (protection === undefined) console.warn(UNENCRYPTED_WARNING);
}

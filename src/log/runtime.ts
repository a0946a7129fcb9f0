import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { PayloadKeys } from '../codec/keys.js';
import type { Config } from '../config/env.js';
import type { TenantSettings } from '../config/tenants.js';
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

/**
 * Installs Temporal's Runtime with a logger that redacts secrets: worker, activity and workflow logs (activity
 * failures carry Fortnox's and ky's error texts) go through it. Call before the first NativeConnection or Worker.
 * `secrets` is read at every log line, so values added later (a generated token) are masked too.
 */
export function installRedactingRuntime(secrets: readonly string[]): void {
  Runtime.install({ logger: redactingLogger(new DefaultLogger('INFO'), secrets) });
}

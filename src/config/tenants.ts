import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { z } from 'zod';
import type { Config } from './env.js';
import { tenantKeySchema } from '../summa/invoice-contract.js';

const tenantSchema = z.strictObject({
  fortnox: z.discriminatedUnion('auth', [
    /** A Fortnox service account: the company's TenantId (from `GET /3/companyinformation`, DatabaseNumber). */
    z.strictObject({ auth: z.literal('clientCredentials'), tenantId: z.string().regex(/^\d+$/, 'must be the digits of the Fortnox TenantId') }),
    /** Authorization code with rotating refresh tokens, stored by `npm run authorize -- --tenant <key>`. */
    z.strictObject({ auth: z.literal('refreshToken') }),
  ]),
  /** This company's own HMAC secret for the hook and write-back; default SUMMA_SECRET. */
  summaSecret: z.string().min(16, 'must be at least 16 characters').optional(),
  posting: z
    .strictObject({
      /** Book the invoice in Fortnox once its number is written back. Off by default: the print shop books. */
      bookkeep: z.boolean().default(false),
      /** Send the invoice from Fortnox (e-mail or e-invoice) once its number is written back. Off by default. */
      send: z.enum(['none', 'email', 'einvoice']).default('none'),
      /** The account a final invoice's a-conto deductions go to (BAS 2420, Förskott från kunder). */
      acontoAccount: z.number().int().min(1000).max(9999).default(2420),
    })
    .default({ bookkeep: false, send: 'none', acontoAccount: 2420 }),
});
export type PostingOptions = TenantSettings['posting'];
export type TenantSettings = z.infer<typeof tenantSchema>;

const tenantsFileSchema = z.record(tenantKeySchema, tenantSchema).refine((tenants) => Object.keys(tenants).length > 0, 'must name at least one tenant');

/** The tenant demo mode runs with: Summa company `demo` on the sandbox's Fortnox company 1. */
export const DEFAULT_POSTING: PostingOptions = { bookkeep: false, send: 'none', acontoAccount: 2420 };
export const DEMO_TENANTS: Record<string, TenantSettings> = { demo: { fortnox: { auth: 'clientCredentials', tenantId: '1' }, posting: DEFAULT_POSTING } };
/** Demo mode's HMAC secret: the sandboxes are local and hold no real data. */
export const DEMO_SUMMA_SECRET = 'summa-fortnox-demo-secret';

export class TenantsConfigError extends Error {
  override readonly name = 'TenantsConfigError';
}

/**
 * The Summa companies this integration serves and how each reaches Fortnox, from TENANTS_FILE (or the demo tenant).
 * Every problem is reported at start-up with the file, the tenant and the field.
 */
export function loadTenants(config: Config): Record<string, TenantSettings> {
  if (config.TENANTS_FILE === undefined) return DEMO_TENANTS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(config.TENANTS_FILE, 'utf8'));
  } catch (error) {
    throw new TenantsConfigError(`TENANTS_FILE ${config.TENANTS_FILE} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = tenantsFileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`);
    throw new TenantsConfigError(`TENANTS_FILE ${config.TENANTS_FILE} is invalid:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** The tenants as configured now: TENANTS_FILE is read again when it changes, so a new print shop needs no restart. */
export interface TenantRegistry {
  current(): Record<string, TenantSettings>;
  /** Stops watching the file. */
  close(): void;
}

/** How often TENANTS_FILE is looked at for changes. */
const TENANTS_FILE_POLL_MS = 2_000;

/**
 * The tenants of `loadTenants`, kept current: TENANTS_FILE is read again whenever it changes (and on SIGHUP). A file
 * that has become invalid is reported through `onProblem` and the tenants stay as they were, so a typo in the file
 * never stops the print shops already served. Fails at start-up, naming every problem, when the file is invalid then.
 */
export function watchTenants(config: Config, onProblem: (message: string) => void = (message) => console.error(message)): TenantRegistry {
  let tenants = loadTenants(config);
  const file = config.TENANTS_FILE;
  if (file === undefined) return { current: () => tenants, close: () => undefined };
  const reload = () => {
    try {
      tenants = loadTenants(config);
    } catch (error) {
      onProblem(`${error instanceof Error ? error.message : String(error)}
(the tenants stay as they were: ${Object.keys(tenants).join(', ')})`);
    }
  };
  watchFile(file, { interval: TENANTS_FILE_POLL_MS, persistent: false }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) reload();
  });
  process.on('SIGHUP', reload);
  return {
    current: () => tenants,
    close: () => {
      unwatchFile(file);
      process.off('SIGHUP', reload);
    },
  };
}

/** The tenants as a registry that never changes (tests, scripts). */
export const fixedTenants = (tenants: Record<string, TenantSettings>): TenantRegistry => ({ current: () => tenants, close: () => undefined });

/** The HMAC secret shared with Summa for a tenant, or undefined for a tenant we do not serve. */
export function summaSecretFor(registry: TenantRegistry, fallback: string | undefined): (tenant: string) => string | undefined {
  return (tenant) => {
    const tenants = registry.current();
    const settings = Object.hasOwn(tenants, tenant) ? tenants[tenant] : undefined;
    return settings === undefined ? undefined : (settings.summaSecret ?? fallback);
  };
}

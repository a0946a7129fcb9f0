import { z } from 'zod';
import { isKeys, parsePayloadKeys } from '../codec/keys.js';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * Every setting the integration reads from the environment. Parsed once at start-up; nothing else reads
 * `process.env`.
 */
export const configSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, for example temporal.example.com:7233')
    .optional()
    .describe('An existing Temporal frontend (host:port). When set, `npm start` starts no dev server.'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('Temporal namespace.'),
  TEMPORAL_CLI: z
    .string()
    .min(1)
    .optional()
    .describe('Path to the `temporal` CLI. Default: `temporal` on PATH, else the copy `npm install` put in .temporal/.'),
  PATH: z.string().default('').describe('Searched for the `temporal` CLI when TEMPORAL_CLI is not set.'),
  TEMPORAL_PORT: port(7233).describe('gRPC port of the local dev server that `npm start` runs.'),
  TEMPORAL_UI_PORT: port(8233).describe('Web UI port of the local dev server that `npm start` runs.'),
  DATA_DIR: z.string().min(1).default('.data').describe('Where `npm start` keeps its state (the dev server database).'),
  FORTNOX_API_URL: z.url().default('https://api.fortnox.se').describe("Fortnox's API origin; the sandbox's URL in demo mode."),
  FORTNOX_AUTH_URL: z.url().default('https://apps.fortnox.se/oauth-v1').describe("Fortnox's OAuth base URL."),
  FORTNOX_CLIENT_ID: z.string().min(1).optional().describe('The integration\'s client id from the Fortnox Developer Portal.'),
  FORTNOX_CLIENT_SECRET: z.string().min(1).optional().describe('Its client secret. A secret: keep it out of logs and files in git.'),
  FORTNOX_TOKEN_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('Where rotating Fortnox tokens are stored (files with mode 0600). Default: DATA_DIR/fortnox-tokens.'),
  TENANTS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('JSON file mapping Summa companies to Fortnox companies (see docs/operations.md). Default: one tenant, `demo`, on the sandbox.'),
  SUMMA_URL: z.url().optional().describe("Summa's base URL for write-backs. Default in demo mode: the bundled Summa sandbox."),
  SUMMA_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Shared HMAC secret for hook and write-back signatures, for tenants without their own. Required with real Fortnox credentials.'),
  HOOK_HOST: z.string().min(1).default('127.0.0.1').describe('Interface the hook server listens on.'),
  HOOK_PORT: port(8787).describe('Port of the hook server.'),
  HOOK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024)
    .describe('Largest hook request accepted, in bytes; an export of 5,000 invoices is about 5–10 MB.'),
  FORTNOX_SANDBOX_PORT: port(8300).describe('Port of the local Fortnox in demo mode.'),
  SUMMA_SANDBOX_PORT: port(8301).describe('Port of the Summa sandbox in demo mode.'),
  TASK_QUEUE: z.string().min(1).default('summa-fortnox').describe('Temporal task queue of the workflows.'),
  WORKFLOW_BUNDLE: z
    .string()
    .min(1)
    .optional()
    .describe('A prebuilt workflow bundle (the SDK recommends one in production); default: bundle workflows/ at start.'),
  FORTNOX_ACTIVITIES_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(100)
    .describe("Server-side cap on Fortnox activities per second per tenant, shared by every worker process."),
  PAYLOAD_KEYS: z
    .string()
    .min(1)
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const keys = parsePayloadKeys(value);
      if (isKeys(keys)) return keys;
      keys.forEach((message) => context.addIssue({ code: 'custom', message }));
      return z.NEVER;
    })
    .describe('AES-256 keys that encrypt what Temporal stores: `id:base64key,id2:base64key`, the first encrypts, all decrypt. A secret.'),
  PAYLOAD_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('Instead of PAYLOAD_KEYS: a JSON file {"keys":[{"id","key"}]} (first = current), mode 0600. Default: DATA_DIR/payload-keys.json when it exists.'),
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1').describe('Interface the codec server (payload decoding for the Web UI) listens on.'),
  CODEC_SERVER_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe('Port of the codec server that `npm start` runs. Default: any free port when it runs the dev server (its UI is told the endpoint), 8788 with TEMPORAL_ADDRESS.'),
  CODEC_SERVER_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters; generate one with `openssl rand -hex 24`')
    .regex(/^[A-Za-z0-9._~-]+$/, 'must be URL-safe (A–Z a–z 0–9 . _ ~ -): the Web UI sends it as a path segment')
    .optional()
    .describe("Operator token the codec server requires (path segment or Bearer). Default: a new one at each start, printed once."),
  CODEC_SERVER_UI_ORIGINS: z
    .string()
    .min(1)
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
      for (const origin of origins) {
        if (!/^https?:\/\/[^/\s]+$/.test(origin)) context.addIssue({ code: 'custom', message: `${origin} is not an origin such as https://temporal-ui.example.com` });
      }
      return origins.length === 0 ? undefined : origins;
    })
    .describe('Comma-separated origins of the Web UI the codec server answers. Default: http://127.0.0.1 and http://localhost on TEMPORAL_UI_PORT.'),
  LOG_LEVEL: z
    .preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']))
    .default('WARN')
    .describe("The least severe Temporal runtime line (worker, workflow and activity logs) shown: TRACE, DEBUG, INFO, WARN or ERROR. Our own summary lines are always shown; npm start writes the runtime's INFO lines to DATA_DIR/worker.log too."),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe("Worker and hook processes: serve Prometheus metrics (Temporal's and the integration's) at /metrics and a health probe at /healthz on this port. Unset: neither."),
  METRICS_HOST: z.string().min(1).default('127.0.0.1').describe('Interface the metrics port listens on; 0.0.0.0 in a container, so Prometheus can reach it.'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment, failing with every problem at once and what to set instead. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // `NAME=` in an .env file or `${NAME:-}` in a compose file means "not set", not an empty value.
  const result = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration in the environment:\n${problems.join('\n')}`);
}

/**
 * The environment for a tool this project runs (go, PostgreSQL's binaries): ours, with `overrides` on top. The tool
 * keeps the operator's own settings for it (GOPROXY, GOPATH, GOFLAGS, locale), which no schema here lists.
 */
export function childEnvironment(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}

import { z } from 'zod';

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
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment, failing with every problem at once and what to set instead. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration in the environment:\n${problems.join('\n')}`);
}

// `npm run sandbox -- --port <port> [--host 127.0.0.1] [--no-rate-limit] [--token-lifetime <s>]`: runs the local
// Fortnox (src/sandbox/fortnox) until Ctrl-C, for demos and for trying the integration without a Fortnox account.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { untilStopSignal } from './signals.js';
import { SANDBOX_CLIENT, startFortnoxSandbox } from '../sandbox/fortnox/index.js';

const USAGE = 'Usage: npm run sandbox -- --port <port> [--host 127.0.0.1] [--no-rate-limit] [--token-lifetime <seconds>]';

const wholeNumber = (name: string, min: number, max: number, missing = `${name} needs a value`) =>
  z
    .string({ error: missing })
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

const argumentsSchema = z.strictObject({
  port: wholeNumber('--port', 0, 65535, '--port is required, e.g. --port 8089 (0 picks a free port)'),
  host: z.string().min(1, '--host needs a value').default('127.0.0.1'),
  'no-rate-limit': z.boolean().default(false),
  'token-lifetime': wholeNumber('--token-lifetime', 1, 31_536_000).optional(),
});

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseArguments(argv: string[]): z.infer<typeof argumentsSchema> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { port: { type: 'string' }, host: { type: 'string' }, 'no-rate-limit': { type: 'boolean' }, 'token-lifetime': { type: 'string' } },
    }).values;
  } catch (error) {
    // node:util names the offending argument in its message ("Unknown option '--colour'", "Option '--port <value>' argument missing").
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = argumentsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  return parsed.data;
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const rateLimit = args['no-rate-limit'] ? false : { requests: 25, windowMs: 5000 };
  const sandbox = await startFortnoxSandbox({
    host: args.host,
    port: args.port,
    rateLimit,
    ...(args['token-lifetime'] === undefined ? {} : { accessTokenLifetimeSeconds: args['token-lifetime'] }),
  });
  console.log(`Fortnox sandbox: ${sandbox.url}`);
  console.log(`  API:           ${sandbox.url}/3`);
  console.log(`  OAuth:         ${sandbox.url}/oauth-v1 (token, auth, revoke)`);
  console.log(`  Control:       ${sandbox.url}/sandbox (reset, state, requests, faults, settings)`);
  console.log(`  Client id:     ${SANDBOX_CLIENT.clientId}`);
  console.log(`  Client secret: ${SANDBOX_CLIENT.clientSecret} (the sandbox's demo client, not a secret)`);
  console.log('  Tenant:        1 (send "TenantId: 1" with grant_type=client_credentials)');
  console.log(`  Rate limit:    ${rateLimit === false ? 'off' : `${rateLimit.requests} requests per ${rateLimit.windowMs} ms per client and tenant`}`);
  console.log(`  Token life:    ${args['token-lifetime'] ?? 3600} s`);
  console.log('Press Ctrl-C to stop.');

  const signal = await untilStopSignal();
  console.log(`\n${signal}: stopping …`);
  await sandbox.close();
  console.log('Stopped.');
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

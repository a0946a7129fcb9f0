// `npm run authorize -- --tenant <name> [--service-account]`: an administrator of the Fortnox company approves the
// integration in the browser. Refresh-token tenants: the tokens are stored for the worker. Service-account tenants
// (client credentials in TENANTS_FILE): the consent is all that is needed; the worker asks for its own tokens.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/env.js';
import { authorizeTenant } from '../fortnox/auth/authorize.js';
import { FileTokenStore } from '../fortnox/auth/token-store.js';
import { createHttp, DEFAULT_TIMEOUT_MS } from '../fortnox/http.js';
import { describeForLog } from '../log/redact.js';

/** Masked in whatever error is printed: a refused token request may echo the client secret. */
const secrets: string[] = [];

const argumentsSchema = z.object({
  tenant: z.string().regex(/^[\w.-]+$/, 'letters, digits, dot, dash and underscore only'),
  'redirect-uri': z.url().default('http://localhost:8765/callback'),
  'service-account': z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, 'redirect-uri': { type: 'string' }, 'service-account': { type: 'boolean' } } });
  const parsed = argumentsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`usage: npm run authorize -- --tenant <name> [--service-account] [--redirect-uri <url registered in Fortnox>]\n${problems}`);
  }
  const config = loadConfig();
  if (config.FORTNOX_CLIENT_ID === undefined || config.FORTNOX_CLIENT_SECRET === undefined) {
    throw new Error('Set FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET (from the Fortnox Developer Portal) first.');
  }
  secrets.push(config.FORTNOX_CLIENT_SECRET);
  const store = new FileTokenStore(config.FORTNOX_TOKEN_DIR ?? path.join(config.DATA_DIR, 'fortnox-tokens'));
  const tokens = await authorizeTenant({
    http: createHttp({ timeoutMs: DEFAULT_TIMEOUT_MS }),
    authBaseUrl: config.FORTNOX_AUTH_URL,
    identity: { clientId: config.FORTNOX_CLIENT_ID, clientSecret: config.FORTNOX_CLIENT_SECRET },
    tenant: parsed.data.tenant,
    store,
    redirectUri: parsed.data['redirect-uri'],
    serviceAccount: parsed.data['service-account'],
    onConsentUrl: (url) => {
      console.log(`Open this address as an administrator of the Fortnox company and approve summa-fortnox:\n\n  ${url}\n`);
      console.log(`Waiting for Fortnox to redirect to ${parsed.data['redirect-uri']} …`);
    },
  });
  console.log(
    parsed.data['service-account']
      ? `Authorised tenant ${parsed.data.tenant} as a service account (scopes: ${tokens.scope ?? 'unknown'}); the worker gets its tokens with client credentials.`
      : `Authorised tenant ${parsed.data.tenant} (scopes: ${tokens.scope ?? 'unknown'}). Tokens stored.`,
  );
}

main().catch((error: unknown) => {
  console.error(describeForLog(error, secrets));
  process.exit(1);
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from '../codec/encryption-codec.js';
import { createPayloadKeyFile, PayloadKeyError, readPayloadKeyFile, type PayloadKeys } from '../codec/keys.js';
import { ConfigError, type Config } from '../config/env.js';
import { moduleFile } from '../paths.js';

/**
 * The failure converter every worker, client and workflow bundle of the product uses: failure messages and stack
 * traces travel as an encoded (so encrypted) payload. A prebuilt workflow bundle (WORKFLOW_BUNDLE) must be built
 * with it: `bundleWorkflows()` in workflow-bundle.ts does.
 */
export const FAILURE_CONVERTER_PATH = moduleFile('src/codec/failure-converter');

/** Where `npm start` keeps the demo's key when none is configured. */
export const defaultKeyFile = (config: Pick<Config, 'DATA_DIR'>) => path.join(config.DATA_DIR, 'payload-keys.json');

/** The data converter of every Temporal client and worker of the product: payloads and failures encrypted. */
export function encryptingDataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export interface PayloadProtection {
  keys: PayloadKeys;
  dataConverter: DataConverter;
  /** Where the keys came from, for the start banner, e.g. `PAYLOAD_KEYS` or a file path. */
  source: string;
  /** True when this call created the key file. */
  created: boolean;
}

/**
 * The configured payload keys: `PAYLOAD_KEYS`, else `PAYLOAD_KEY_FILE`, else `DATA_DIR/payload-keys.json` when it
 * exists — created first when `createDefaultKeyFile` is set (`npm start` in demo mode). Undefined when there are
 * none: payloads then go to Temporal in clear. Bad key material is a ConfigError naming the setting.
 */
export function payloadProtection(
  config: Pick<Config, 'PAYLOAD_KEYS' | 'PAYLOAD_KEY_FILE' | 'DATA_DIR'>,
  options: { createDefaultKeyFile?: boolean } = {},
): PayloadProtection | undefined {
  const protection = (keys: PayloadKeys, source: string, created = false): PayloadProtection => ({
    keys,
    dataConverter: encryptingDataConverter(keys),
    source,
    created,
  });
  if (config.PAYLOAD_KEYS !== undefined && config.PAYLOAD_KEY_FILE !== undefined) {
    throw new ConfigError('Set PAYLOAD_KEYS or PAYLOAD_KEY_FILE, not both: it would be unclear which key is current.');
  }
  // Parsed (and every key checked) by the configuration schema.
  if (config.PAYLOAD_KEYS !== undefined) return protection(config.PAYLOAD_KEYS, 'PAYLOAD_KEYS');
  const file = config.PAYLOAD_KEY_FILE ?? defaultKeyFile(config);
  const created = config.PAYLOAD_KEY_FILE === undefined && options.createDefaultKeyFile === true && createPayloadKeyFile(file);
  if (config.PAYLOAD_KEY_FILE === undefined && !existsSync(file)) return undefined;
  try {
    return protection(readPayloadKeyFile(file), file, created);
  } catch (error) {
    if (error instanceof PayloadKeyError) throw new ConfigError(`${config.PAYLOAD_KEY_FILE === undefined ? 'DATA_DIR/payload-keys.json' : 'PAYLOAD_KEY_FILE'}: ${error.message}`);
    throw error;
  }
}

/** What `npm start` and `npm run worker` print when real data would go to Temporal unencrypted. */
export const UNENCRYPTED_WARNING =
  'WARNING: no PAYLOAD_KEYS or PAYLOAD_KEY_FILE set: invoices, customers and failure messages go into Temporal\'s ' +
  'histories in clear. Set PAYLOAD_KEYS=<id>:<base64 of 32 random bytes> (e.g. `openssl rand -base64 32`) on every ' +
  'worker and client; see docs/data-protection.md.';

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** One AES-256 key and the id written into every payload it encrypts, so a payload names the key that opens it. */
export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Keys in order: the first encrypts, every one decrypts (older keys stay until no history needs them). */
export type PayloadKeys = readonly [PayloadKey, ...PayloadKey[]];

export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const GENERATE_KEY_HINT = 'generate one with `openssl rand -base64 32` or `node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"`';

/** The base64 of exactly 32 bytes, or a sentence saying what is wrong with it. */
function decodeKey(text: string): Buffer | string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return 'is not base64';
  const key = Buffer.from(trimmed, 'base64');
  // Node skips what it cannot decode; re-encoding proves every character counted.
  if (key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) return 'is not base64';
  if (key.length !== 32) return `is ${key.length} bytes, AES-256 needs 32`;
  return key;
}

function checkedKeys(entries: readonly { id: string; key: string }[]): PayloadKeys | string[] {
  const problems: string[] = [];
  const keys: PayloadKey[] = [];
  const seen = new Set<string>();
  entries.forEach(({ id, key }, index) => {
    if (!KEY_ID_PATTERN.test(id)) problems.push(`key ${index + 1}: id "${id.slice(0, 70)}" must be 1–64 of A–Z a–z 0–9 . _ -`);
    else if (seen.has(id)) problems.push(`key id "${id}" appears twice`);
    seen.add(id);
    const decoded = decodeKey(key);
    if (typeof decoded === 'string') problems.push(`key ${KEY_ID_PATTERN.test(id) ? `"${id}"` : index + 1} ${decoded}`);
    else keys.push({ id, key: decoded });
  });
  if (entries.length === 0) problems.push('no key given');
  const [first, ...rest] = keys;
  if (problems.length > 0 || first === undefined) return problems;
  return [first, ...rest];
}

/**
 * Parses `PAYLOAD_KEYS`: `id:base64key,id2:base64key`, the first being the current key. Returns the problems
 * (never the key material) when it is not usable.
 */
export function parsePayloadKeys(text: string): PayloadKeys | string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.indexOf(':');
      return colon < 0 ? { id: '', key: '' } : { id: entry.slice(0, colon).trim(), key: entry.slice(colon + 1) };
    });
  if (entries.some((entry) => entry.id === '')) return [`must be id:base64key, comma-separated (first = current); ${GENERATE_KEY_HINT}`];
  const checked = checkedKeys(entries);
  return isKeys(checked) ? checked : checked.map((problem) => `${problem}; ${GENERATE_KEY_HINT}`);
}

export function isKeys(value: PayloadKeys | string[]): value is PayloadKeys {
  return typeof value[0] === 'object';
}

/** The key file: `{ "keys": [{ "id": "2026-01", "key": "<base64 of 32 bytes>" }, …] }`, first = current. */
const keyFileSchema = z.object({ keys: z.array(z.object({ id: z.string(), key: z.string() })).min(1) });

export class PayloadKeyError extends Error {
  override readonly name = 'PayloadKeyError';
}

/**
 * Reads a key file. Refuses a file that others may read (the keys open every customer's invoices in Temporal),
 * saying how to fix it; the message never contains key material.
 */
export function readPayloadKeyFile(file: string): PayloadKeys {
  let text: string;
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new PayloadKeyError(`${file} is readable by others (mode 0${mode.toString(8)}); run \`chmod 600 ${file}\``);
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof PayloadKeyError) throw error;
    throw new PayloadKeyError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: z.infer<typeof keyFileSchema>;
  try {
    parsed = keyFileSchema.parse(JSON.parse(text));
  } catch {
    throw new PayloadKeyError(`${file} must be JSON like {"keys":[{"id":"2026-01","key":"<base64 of 32 bytes>"}]} (first = current)`);
  }
  const keys = checkedKeys(parsed.keys);
  if (!isKeys(keys)) throw new PayloadKeyError(`${file}: ${keys.join('; ')}; ${GENERATE_KEY_HINT}`);
  return keys;
}

/** A fresh key with an id that says when it was made, e.g. `k20261128-3f9a`. */
export function generatePayloadKey(now = new Date()): PayloadKey {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return { id: `k${day}-${randomBytes(2).toString('hex')}`, key: randomBytes(32) };
}

/**
 * Creates a key file with one fresh key, mode 0600, unless the file exists already (then it is left alone).
 * Returns true when it created the file.
 */
export function createPayloadKeyFile(file: string): boolean {
  if (existsSync(file)) return false;
  // With TEMPORAL_ADDRESS set, `npm start` creates no dev server database, so DATA_DIR may not exist yet.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = generatePayloadKey();
  let fd: number;
  try {
    // wx: never overwrite a key file another process has just written; 0600 from the first byte.
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify({ keys: [{ id: key.id, key: key.key.toString('base64') }] }, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

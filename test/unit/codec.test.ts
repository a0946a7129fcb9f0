import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING, EncryptionCodec, METADATA_KEY_ID, PayloadDecryptionError } from '../../src/codec/encryption-codec.js';
import { createPayloadKeyFile, generatePayloadKey, isKeys, parsePayloadKeys, readPayloadKeyFile, type PayloadKeys } from '../../src/codec/keys.js';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { payloadProtection } from '../../src/temporal/data-converter.js';

const customer = { name: 'Tryckeri Östermalm Kvist AB', organisationNumber: '556677-8899', email: 'kvist@example.se' };
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload | undefined): unknown => (payload === undefined ? undefined : defaultPayloadConverter.fromPayload(payload));
const textOf = (payload: Payload | undefined) => Buffer.from(payload?.data ?? new Uint8Array()).toString('latin1');
const keyText = (id: string) => `${id}:${generatePayloadKey().key.toString('base64')}`;
const keysOf = (text: string): PayloadKeys => {
  const keys = parsePayloadKeys(text);
  if (!isKeys(keys)) throw new Error(`bad keys: ${keys.join('; ')}`);
  return keys;
};

describe('EncryptionCodec', () => {
  const keyA = keyText('a');

  it('round-trips a payload and hides it, metadata included, under binary/encrypted with the key id', async () => {
    const codec = new EncryptionCodec(keysOf(keyA));
    const [encoded] = await codec.encode([toPayload(customer)]);
    expect(Buffer.from(encoded?.metadata?.encoding ?? []).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(encoded?.metadata?.[METADATA_KEY_ID] ?? []).toString()).toBe('a');
    expect(Object.keys(encoded?.metadata ?? {}).sort()).toEqual(['encoding', METADATA_KEY_ID]);
    for (const clear of [customer.name, customer.organisationNumber, customer.email, 'json/plain']) expect(textOf(encoded)).not.toContain(clear);
    const [decoded] = await codec.decode(encoded === undefined ? [] : [encoded]);
    expect(fromPayload(decoded)).toEqual(customer);
  });

  it('uses a fresh IV for every payload: the same value never encrypts the same way twice', async () => {
    const codec = new EncryptionCodec(keysOf(keyA));
    const [first, second] = await codec.encode([toPayload(customer), toPayload(customer)]);
    expect(textOf(first)).not.toBe(textOf(second));
    expect(Buffer.from(first?.data ?? []).subarray(0, 12)).not.toEqual(Buffer.from(second?.data ?? []).subarray(0, 12));
  });

  it('still decodes a payload written under the old key after a new current key is added, and writes with the new one', async () => {
    const old = new EncryptionCodec(keysOf(keyA));
    const [written] = await old.encode([toPayload(customer)]);
    const rotated = new EncryptionCodec(keysOf(`${keyText('b')},${keyA}`));
    expect(rotated.currentKeyId).toBe('b');
    expect(fromPayload((await rotated.decode(written === undefined ? [] : [written]))[0])).toEqual(customer);
    const [fresh] = await rotated.encode([toPayload(customer)]);
    expect(Buffer.from(fresh?.metadata?.[METADATA_KEY_ID] ?? []).toString()).toBe('b');
  });

  it('names the key id when a payload was written with a key that is not configured', async () => {
    const [written] = await new EncryptionCodec(keysOf(keyText('retired'))).encode([toPayload(customer)]);
    const codec = new EncryptionCodec(keysOf(keyA));
    const error = await codec.decode(written === undefined ? [] : [written]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as Error).message).toMatch(/key "retired", which is not configured \(configured: a\)/);
  });

  it.each([
    ['a flipped ciphertext byte', (data: Buffer) => (data[20] = (data[20] ?? 0) ^ 1)],
    ['a flipped tag byte', (data: Buffer) => (data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1)],
    ['a flipped IV byte', (data: Buffer) => (data[0] = (data[0] ?? 0) ^ 1)],
  ])('refuses a payload with %s', async (_name, tamper) => {
    const codec = new EncryptionCodec(keysOf(keyA));
    const [encoded] = await codec.encode([toPayload(customer)]);
    const data = Buffer.from(encoded?.data ?? []);
    tamper(data);
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(/key "a" failed authentication: it was altered/);
  });

  it('refuses a payload relabelled with another configured key id (the id is authenticated)', async () => {
    const codec = new EncryptionCodec(keysOf(`${keyA},${keyText('b')}`));
    const [encoded] = await codec.encode([toPayload(customer)]);
    const relabelled = { ...encoded, metadata: { ...encoded?.metadata, [METADATA_KEY_ID]: Buffer.from('b') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
  });

  it('passes payloads that were never encrypted through unchanged', async () => {
    const plain = toPayload({ invoiceId: 'H-1' });
    expect(await new EncryptionCodec(keysOf(keyA)).decode([plain])).toEqual([plain]);
  });
});

describe('payload key settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('accepts id:base64 pairs, first = current', () => {
    const keys = keysOf(`${keyText('2026-01')}, ${keyText('2025-07')}`);
    expect(keys.map((key) => key.id)).toEqual(['2026-01', '2025-07']);
    expect(keys.every((key) => key.key.length === 32)).toBe(true);
  });

  it.each([
    ['a 16-byte key', `k:${Buffer.alloc(16, 1).toString('base64')}`, /PAYLOAD_KEYS: key "k" is 16 bytes, AES-256 needs 32; generate one with `openssl rand -base64 32`/],
    ['no id', Buffer.alloc(32, 1).toString('base64'), /PAYLOAD_KEYS: must be id:base64key, comma-separated/],
    ['not base64', 'k:this is not base64!', /PAYLOAD_KEYS: key "k" is not base64/],
    ['a repeated id', `k:${Buffer.alloc(32, 1).toString('base64')},k:${Buffer.alloc(32, 2).toString('base64')}`, /key id "k" appears twice/],
  ])('refuses %s, naming the setting and how to make a key', (_name, value, message) => {
    const text = problems({ PAYLOAD_KEYS: value });
    expect(text).toMatch(message);
    expect(text).not.toContain(Buffer.alloc(32, 1).toString('base64'));
  });

  it('creates a demo key file once, mode 0600, and reads it back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'payload-keys-'));
    const first = payloadProtection({ DATA_DIR: dir, PAYLOAD_KEYS: undefined, PAYLOAD_KEY_FILE: undefined }, { createDefaultKeyFile: true });
    expect(first?.created).toBe(true);
    const file = path.join(dir, 'payload-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = payloadProtection({ DATA_DIR: dir, PAYLOAD_KEYS: undefined, PAYLOAD_KEY_FILE: undefined }, { createDefaultKeyFile: true });
    expect(again?.created).toBe(false);
    expect(again?.keys[0].key).toEqual(first?.keys[0].key);
    expect(readPayloadKeyFile(file)[0].id).toBe(first?.keys[0].id);
    expect(createPayloadKeyFile(file)).toBe(false);
  });

  it('runs unencrypted only when no key is configured and none was created', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'payload-keys-'));
    expect(payloadProtection({ DATA_DIR: dir, PAYLOAD_KEYS: undefined, PAYLOAD_KEY_FILE: undefined })).toBeUndefined();
  });

  it('refuses a key file others can read, and one that is not the expected JSON, naming PAYLOAD_KEY_FILE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'payload-keys-'));
    const file = path.join(dir, 'keys.json');
    createPayloadKeyFile(file);
    chmodSync(file, 0o644);
    const settings = { DATA_DIR: dir, PAYLOAD_KEYS: undefined, PAYLOAD_KEY_FILE: file };
    expect(() => payloadProtection(settings)).toThrow(new ConfigError(`PAYLOAD_KEY_FILE: ${file} is readable by others (mode 0644); run \`chmod 600 ${file}\``));
    chmodSync(file, 0o600);
    expect(payloadProtection(settings)?.keys).toHaveLength(1);
    const keyInFile = (JSON.parse(readFileSync(file, 'utf8')) as { keys: { key: string }[] }).keys[0]?.key ?? '';
    writeFileSync(file, JSON.stringify({ keys: [{ id: 'short', key: Buffer.alloc(8).toString('base64') }] }));
    expect(() => payloadProtection(settings)).toThrow(/PAYLOAD_KEY_FILE: .*key "short" is 8 bytes, AES-256 needs 32/);
    writeFileSync(file, '{"current":"x"}');
    expect(() => payloadProtection(settings)).toThrow(/PAYLOAD_KEY_FILE: .* must be JSON like \{"keys":\[/);
    expect(keyInFile).toHaveLength(44);
  });

  it('refuses both PAYLOAD_KEYS and PAYLOAD_KEY_FILE at once', () => {
    expect(() => payloadProtection({ DATA_DIR: '.', PAYLOAD_KEYS: keysOf(keyText('a')), PAYLOAD_KEY_FILE: '/x' })).toThrow(/PAYLOAD_KEYS or PAYLOAD_KEY_FILE, not both/);
  });
});

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKey, PayloadKeys } from './keys.js';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';

// A CommonJS module whose exports Node's ESM loader cannot name: take them from its default export.
const { Payload: PayloadProto } = proto.temporal.api.common.v1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextDecoder();
const bytes = (value: string) => new TextEncoder().encode(value);

/** Why a payload could not be decrypted; names the key id, never the data. */
export class PayloadDecryptionError extends ValueError {
  override readonly name = 'PayloadDecryptionError';
}

/**
 * AES-256-GCM over the whole proto-encoded payload (its metadata too, so even the encoding of a value is hidden),
 * with a fresh random 12-byte IV per payload. The result's data is `IV ‖ ciphertext ‖ tag`, and its metadata
 * carries `encoding: binary/encrypted` and the key id, which is also authenticated (GCM's additional data), so a
 * payload cannot be passed off as encrypted under another key.
 *
 * Encodes with the first key; decodes with whichever configured key the payload names. Payloads that are not
 * encrypted (written before the codec was turned on) pass through unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: ReadonlyMap<string, PayloadKey>;

  constructor(keys: PayloadKeys) {
    this.current = keys[0];
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** The id of the key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.encrypt(payload))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    // A payload that cannot be decrypted rejects the promise (the executor's throw), as callers expect.
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decrypt(payload))));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(bytes(id));
    const plain = PayloadProto.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: bytes(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: bytes(id) },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (encoding === undefined || encoding === null || text.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[METADATA_KEY_ID];
    if (idBytes === undefined || idBytes === null) throw new PayloadDecryptionError(`An encrypted payload has no ${METADATA_KEY_ID}.`);
    const id = text.decode(idBytes);
    const key = this.byId.get(id);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `A payload is encrypted with key "${id}", which is not configured (configured: ${[...this.byId.keys()].join(', ')}). ` +
          'Add that key to PAYLOAD_KEYS or PAYLOAD_KEY_FILE after the current one.',
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`A payload encrypted with key "${id}" is too short to be one of ours.`);
    const sealed = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(idBytes);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`A payload encrypted with key "${id}" failed authentication: it was altered, or the key "${id}" configured here is not the one it was written with.`);
    }
    return PayloadProto.decode(plain);
  }
}

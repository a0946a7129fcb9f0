// The hook and the codec server are reachable from this machine only, unless configured otherwise: on another
// interface of the same machine, nothing answers.
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startCodecServer } from '../../src/codec/codec-server.js';
import { EncryptionCodec } from '../../src/codec/encryption-codec.js';
import { generatePayloadKey } from '../../src/codec/keys.js';
import { loadConfig } from '../../src/config/env.js';
import { createHookServer } from '../../src/hook/server.js';
import type { TransferService } from '../../src/transfer/index.js';

/** This machine's first IPv4 address that is not loopback (the one a neighbour on the network would use). */
const outward = Object.values(os.networkInterfaces())
  .flat()
  .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const noTransfers = new Proxy({} as TransferService, {
  get: () => () => Promise.reject(new Error('not used')),
});

it('configures the hook and the codec server for 127.0.0.1 when the environment says nothing', () => {
  const config = loadConfig({});
  expect(config.HOOK_HOST).toBe('127.0.0.1');
  expect(config.CODEC_SERVER_HOST).toBe('127.0.0.1');
});

// Needs a network interface besides loopback to knock on (every CI and development machine here has one).
describe.runIf(outward !== undefined)('servers listen on 127.0.0.1 by default', () => {
  it('answers the hook on 127.0.0.1 and not on the machine’s network address', async () => {
    const hook = await createHookServer({ transfers: noTransfers, secretFor: () => undefined });
    try {
      const port = Number(new URL(hook.url).port);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      expect(await accepts(outward ?? '', port)).toBe(false);
    } finally {
      await hook.close();
    }
  });

  it('answers the codec server on 127.0.0.1 and not on the machine’s network address', async () => {
    const codec = await startCodecServer({ codec: new EncryptionCodec([generatePayloadKey()]), token: 'operator-token-0123456789', allowedOrigins: ['http://127.0.0.1:8233'] });
    try {
      const port = Number(new URL(codec.url).port);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      expect(await accepts(outward ?? '', port)).toBe(false);
    } finally {
      await codec.close();
    }
  });
});

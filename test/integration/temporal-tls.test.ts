import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalTarget } from '../../src/temporal/connection.js';

const config = { TEMPORAL_PORT: 7233, TEMPORAL_NAMESPACE: 'default' };
/** No TOML file: only what each case sets. */
const only = (env: Record<string, string>) => ({ TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml', ...env });

describe('one Temporal connection for worker, hook, CLI and client, from Temporal’s own settings', () => {
  it('defaults to the local dev server, plain, with the configured namespace', () => {
    expect(temporalTarget(config, only({}))).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: false, connection: { address: '127.0.0.1:7233' } });
  });

  it('takes TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, an API key (TLS on with it, as Temporal Cloud needs) and gRPC metadata', () => {
    const target = temporalTarget(config, only({ TEMPORAL_ADDRESS: 'eu.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'print.a1b2c', TEMPORAL_API_KEY: 'k-123', TEMPORAL_GRPC_META_X_TEAM: 'ops' }));
    expect(target).toMatchObject({ address: 'eu.aws.api.temporal.io:7233', namespace: 'print.a1b2c', tls: true, connection: { apiKey: 'k-123' } });
    expect(target.connection.metadata).toMatchObject({ 'x-team': 'ops' });
    expect(temporalTarget(config, only({ TEMPORAL_ADDRESS: 'a:1', TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).tls).toBe(false);
  });

  describe('over TLS, against a TLS-terminating proxy in front of the run’s dev server', () => {
    let dir: string;
    let proxy: tls.Server;
    let proxyAddress: string;
    let caPath: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
      caPath = path.join(dir, 'cert.pem');
      const keyPath = path.join(dir, 'key.pem');
      // A CA, and a server certificate it signed (rustls, under the worker's connection, refuses a CA as the server's).
      const certPath = path.join(dir, 'server.pem');
      const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', caPath, '-days', '1', '-subj', '/CN=test CA');
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', 'server.csr', '-subj', '/CN=temporal.test');
      writeFileSync(path.join(dir, 'server.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:temporal.test,IP:127.0.0.1\n');
      openssl('x509', '-req', '-in', 'server.csr', '-CA', caPath, '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', certPath, '-days', '1', '-extfile', 'server.ext');
      const [host, port] = inject('temporalAddress').split(':');
      proxy = tls.createServer({ key: readFileSync(keyPath), cert: readFileSync(path.join(dir, 'server.pem')), ALPNProtocols: ['h2'] }, (socket) => {
        const upstream = net.connect(Number(port), host);
        socket.pipe(upstream).pipe(socket);
        const close = () => (socket.destroy(), upstream.destroy());
        socket.on('error', close);
        upstream.on('error', close);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyAddress = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => proxy.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    it('connects the client and the worker’s native connection with the CA given as TEMPORAL_TLS_SERVER_CA_CERT_PATH', async () => {
      const target = temporalTarget(config, only({ TEMPORAL_ADDRESS: proxyAddress, TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath, TEMPORAL_TLS_SERVER_NAME: 'temporal.test' }));
      expect(target.tls).toBe(true);
      const client = await Connection.connect(target.connection);
      try {
        expect((await client.workflowService.getSystemInfo({})).serverVersion).toBeTruthy();
      } finally {
        await client.close();
      }
      const native = await NativeConnection.connect(target.connection);
      await native.close();
    });

    it('refuses a server whose certificate it cannot verify', async () => {
      const target = temporalTarget(config, only({ TEMPORAL_ADDRESS: proxyAddress, TEMPORAL_TLS: 'true' }));
      await expect(Connection.connect({ ...target.connection, connectTimeout: 3_000 })).rejects.toThrow();
    });
  });
});

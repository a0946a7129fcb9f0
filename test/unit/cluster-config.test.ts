import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { clusterConfigFiles, clusterPorts, NUM_HISTORY_SHARDS } from '../../src/cluster/config.js';

// The files `npm run cluster` writes, parsed back as the server and the UI server would read them: no Go or
// PostgreSQL needed.
const sqlStore = z.object({
  sql: z.object({
    pluginName: z.string(),
    databaseName: z.string(),
    connectAddr: z.string(),
    user: z.string(),
    password: z.string(),
  }),
});
const rpc = z.object({ rpc: z.object({ grpcPort: z.number(), membershipPort: z.number(), bindOnLocalHost: z.boolean(), httpPort: z.number().optional() }) });
const serverConfig = z.object({
  persistence: z.object({
    defaultStore: z.string(),
    visibilityStore: z.string(),
    numHistoryShards: z.number(),
    datastores: z.record(z.string(), sqlStore),
  }),
  global: z.object({ membership: z.object({ broadcastAddress: z.string() }), metrics: z.object({ prometheus: z.object({ listenAddress: z.string() }) }) }),
  services: z.object({ frontend: rpc, history: rpc, matching: rpc, worker: rpc }),
  clusterMetadata: z.object({ clusterInformation: z.object({ active: z.object({ rpcAddress: z.string() }) }) }),
  dynamicConfigClient: z.object({ filepath: z.string(), pollInterval: z.string() }),
});
const dynamicConfig = z.record(z.string(), z.array(z.object({ value: z.unknown(), constraints: z.record(z.string(), z.unknown()) })).length(1));
const uiConfig = z.object({ temporalGrpcAddress: z.string(), host: z.string(), port: z.number(), enableUi: z.boolean(), defaultNamespace: z.string() });

function files(frontend = 7233, ui?: number) {
  const ports = clusterPorts(frontend, { ui, postgres: 55432 });
  const text = clusterConfigFiles({ ports, databasePassword: 'not-a-real-password', dynamicConfigFile: '/cluster/config/dynamicconfig.yaml', defaultNamespace: 'default' });
  return {
    text,
    server: serverConfig.parse(parse(text.server)),
    dynamic: dynamicConfig.parse(parse(text.dynamicConfig)),
    ui: uiConfig.parse(parse(text.ui)),
  };
}

const valueOf = (dynamic: z.infer<typeof dynamicConfig>, key: string) => dynamic[key]?.[0]?.value;

describe('the cluster config npm run cluster writes', () => {
  it('keeps workflows and visibility in PostgreSQL through the postgres12 plugin, in two databases', () => {
    const { persistence } = files().server;
    const store = (name: string) => {
      const found = persistence.datastores[name];
      if (found === undefined) throw new Error(`datastore ${name} is missing`);
      return found.sql;
    };
    expect(store(persistence.defaultStore)).toMatchObject({ pluginName: 'postgres12', databaseName: 'temporal', connectAddr: '127.0.0.1:55432', user: 'temporal' });
    expect(store(persistence.visibilityStore)).toMatchObject({ pluginName: 'postgres12', databaseName: 'temporal_visibility', connectAddr: '127.0.0.1:55432' });
    expect(persistence.defaultStore).not.toBe(persistence.visibilityStore);
    expect(persistence.numHistoryShards).toBe(NUM_HISTORY_SHARDS);
    expect(NUM_HISTORY_SHARDS).toBeGreaterThan(1);
  });

  it('runs frontend, history, matching and worker on 127.0.0.1, the frontend on 7233 by default', () => {
    const { server } = files();
    expect(server.services.frontend.rpc.grpcPort).toBe(7233);
    expect(server.clusterMetadata.clusterInformation.active.rpcAddress).toBe('127.0.0.1:7233');
    expect(server.global.membership.broadcastAddress).toBe('127.0.0.1');
    for (const service of Object.values(server.services)) expect(service.rpc.bindOnLocalHost).toBe(true);
  });

  it('gives every listener its own port, and moves them all with --port', () => {
    for (const frontend of [7233, 17233]) {
      const { server, ui } = files(frontend);
      const ports = [
        ...Object.values(server.services).flatMap(({ rpc: { grpcPort, membershipPort, httpPort } }) => [grpcPort, membershipPort, ...(httpPort === undefined ? [] : [httpPort])]),
        Number(server.global.metrics.prometheus.listenAddress.split(':')[1]),
        ui.port,
        55432,
      ];
      expect(new Set(ports).size).toBe(ports.length);
      expect(server.services.frontend.rpc.grpcPort).toBe(frontend);
      expect(ui.temporalGrpcAddress).toBe(`127.0.0.1:${frontend}`);
    }
    expect(files(17233).ui.port).toBe(18233);
    expect(files(7233, 8080).ui.port).toBe(8080);
  });

  it('points the server at the dynamic config file', () => {
    expect(files().server.dynamicConfigClient.filepath).toBe('/cluster/config/dynamicconfig.yaml');
  });

  it('turns on task-queue fairness, updates, deployment versions and 255-character IDs', () => {
    const { dynamic } = files();
    expect(valueOf(dynamic, 'matching.enableFairness')).toBe(true);
    expect(valueOf(dynamic, 'frontend.enableUpdateWorkflowExecution')).toBe(true);
    expect(valueOf(dynamic, 'system.enableDeploymentVersions')).toBe(true);
    expect(valueOf(dynamic, 'limit.maxIDLength')).toBe(255);
  });

  it('serves the Web UI for the cluster on 127.0.0.1, at frontend port + 1000 by default', () => {
    expect(files().ui).toMatchObject({ temporalGrpcAddress: '127.0.0.1:7233', host: '127.0.0.1', port: 8233, enableUi: true, defaultNamespace: 'default' });
  });
});

import { stringify } from 'yaml';

/** The Temporal server release the cluster is built from; the schema files come from the same module version. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
/**
 * The Web UI server. Its module zip carries the built UI (`ui/assets/local`, embedded with go:embed), so `go install`
 * alone yields a working UI. v2.56.4 is the newest that builds from the Go module proxy: v2.58.0 and v2.58.1 need
 * go.temporal.io/api v1.64.0 and labstack/echo v4.16.1, which the proxy refuses ("not available", 403).
 */
export const UI_SERVER_VERSION = 'v2.56.4';
/** v1.32.2 and ui-server v2.56.4 need a newer Go than the machine's; the go command fetches this one. */
export const GO_TOOLCHAIN = 'go1.27.3';

/** Shards are fixed when the database is first used: changing this later needs a `reset`. */
export const NUM_HISTORY_SHARDS = 4;

export const TEMPORAL_DATABASE = 'temporal';
export const VISIBILITY_DATABASE = 'temporal_visibility';
export const DATABASE_ROLE = 'temporal';

export interface ClusterPorts {
  /** gRPC of the frontend, what clients and workers dial. */
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** Ringpop membership of each service; each service listens on its own. */
  membership: { frontend: number; history: number; matching: number; worker: number };
  metrics: number;
  ui: number;
  postgres: number;
}

/**
 * Every port the cluster listens on, derived from the frontend's so that `--port 17233` moves them all together. The
 * offsets are those of the server's own `config/development-postgres12.yaml` (7233 frontend, 7234 history, 7235
 * matching, 7239 worker, 7243 HTTP, 6933… membership); the UI sits at frontend + 1000 like the CLI dev server's.
 */
export function clusterPorts(frontend: number, options: { ui?: number | undefined; postgres: number }): ClusterPorts {
  return {
    frontend,
    frontendHttp: frontend + 10,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    membership: { frontend: frontend - 300, history: frontend - 299, matching: frontend - 298, worker: frontend - 294 },
    metrics: frontend + 2000,
    ui: options.ui ?? frontend + 1000,
    postgres: options.postgres,
  };
}

export interface ServerConfigOptions {
  ports: ClusterPorts;
  /** Password of the `temporal` database role. */
  databasePassword: string;
  /** Absolute path of the dynamic config file the server polls. */
  dynamicConfigFile: string;
}

const host = '127.0.0.1';

function sqlStore(databaseName: string, options: ServerConfigOptions, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${host}:${options.ports.postgres}`,
      connectProtocol: 'tcp',
      user: DATABASE_ROLE,
      password: options.databasePassword,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

function service(grpcPort: number, membershipPort: number, httpPort?: number) {
  return { rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...(httpPort === undefined ? {} : { httpPort }) } };
}

/**
 * The server's static config, after `config/development-postgres12.yaml` of the same release: PostgreSQL for both
 * the default store and SQL visibility (postgres12, so custom search attributes work without Elasticsearch), all
 * four services in one process, everything on 127.0.0.1. Archival is left out (off), as is pprof.
 */
export function serverConfig(options: ServerConfigOptions) {
  const { ports } = options;
  return {
    log: { stdout: true, level: 'info' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        'postgres-default': sqlStore(TEMPORAL_DATABASE, options, 20),
        'postgres-visibility': sqlStore(VISIBILITY_DATABASE, options, 4),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: host },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `${host}:${ports.metrics}` } },
    },
    services: {
      frontend: service(ports.frontend, ports.membership.frontend, ports.frontendHttp),
      history: service(ports.history, ports.membership.history),
      matching: service(ports.matching, ports.membership.matching),
      worker: service(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `${host}:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * Dynamic config: `key: [{ value, constraints }]`. Key names checked in v1.32.2's `common/dynamicconfig/constants.go`.
 * `matching.enableMigration`, named in some fairness notes, does not exist in this release.
 */
export function dynamicConfig(): Record<string, { value: unknown; constraints: Record<string, never> }[]> {
  const global = (value: unknown) => [{ value, constraints: {} }];
  return {
    // Task-queue fairness (off by default): the integration gives each tenant its own fairness key, so one tenant's
    // month-end export cannot starve the others on the shared queue. Implies matching.useNewMatcher.
    'matching.enableFairness': global(true),
    // Default true in this release; set so that an operator's file cannot silently turn off what the client uses.
    'frontend.enableUpdateWorkflowExecution': global(true),
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': global(true),
    // What the dev server runs with, so workflow IDs behave the same on both.
    'limit.maxIDLength': global(255),
    'system.enableDeploymentVersions': global(true),
    // Like the dev server: a search attribute or namespace registered a moment ago is usable at once, which the test
    // set-up relies on. The server's own text says not for production; this cluster is a proving ground.
    'system.forceSearchAttributesCacheRefreshOnRead': global(true),
    // No calls home from a machine that only reaches package registries.
    'frontend.enableServerVersionCheck': global(false),
  };
}

export interface UiConfigOptions {
  ports: ClusterPorts;
  defaultNamespace: string;
  /** Codec server the UI decodes payloads with; the operator can also set one in the UI's settings. */
  codecEndpoint?: string | undefined;
}

/** The Web UI server's config (ui-server's `config/development.yaml`, trimmed to what differs from its defaults). */
export function uiConfig(options: UiConfigOptions) {
  const origin = `http://${host}:${options.ports.ui}`;
  return {
    temporalGrpcAddress: `${host}:${options.ports.frontend}`,
    host,
    port: options.ports.ui,
    publicPath: '',
    enableUi: true,
    defaultNamespace: options.defaultNamespace,
    refreshInterval: '1m',
    disableNewsFetch: true,
    notifyOnNewVersion: false,
    cors: { allowOrigins: [origin, `http://localhost:${options.ports.ui}`], cookieInsecure: true },
    auth: { enabled: false },
    codec: { endpoint: options.codecEndpoint ?? '' },
    hideLogs: false,
  };
}

const generatedHeader = '# Written by `npm run cluster` at every start; edit src/cluster/config.ts instead.\n';

/** The three files the cluster runs on, as YAML text. */
export function clusterConfigFiles(options: ServerConfigOptions & Omit<UiConfigOptions, 'ports'>): {
  server: string;
  dynamicConfig: string;
  ui: string;
} {
  return {
    server: generatedHeader + stringify(serverConfig(options)),
    dynamicConfig: generatedHeader + stringify(dynamicConfig()),
    ui: generatedHeader + stringify(uiConfig(options)),
  };
}

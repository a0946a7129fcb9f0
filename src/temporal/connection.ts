import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config/env.js';

/** Where and how every part of the integration reaches Temporal: worker, hook, CLI and client API alike. */
export interface TemporalTarget {
  /** `host:port` of the frontend. */
  address: string;
  namespace: string;
  /** For `NativeConnection.connect` (worker) and `Connection.connect` (client): address, TLS, API key, gRPC metadata. */
  connection: Pick<NativeConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'> & { address: string };
  /** Whether the connection is encrypted (TLS, Temporal Cloud). */
  tls: boolean;
}

/**
 * The one place that builds the Temporal connection, from Temporal's own conventions (`@temporalio/envconfig`): a
 * profile of the TOML config file (`TEMPORAL_CONFIG_FILE`, `TEMPORAL_PROFILE`) overridden by `TEMPORAL_ADDRESS`,
 * `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY` (Temporal Cloud; TLS on by default with it), `TEMPORAL_TLS`,
 * `TEMPORAL_TLS_CLIENT_CERT_PATH` / `_KEY_PATH` (mTLS), `TEMPORAL_TLS_SERVER_CA_CERT_PATH`, `TEMPORAL_TLS_SERVER_NAME`
 * and `TEMPORAL_GRPC_META_*`. With no address anywhere: the local dev server on TEMPORAL_PORT.
 * `env` is the environment to read (default the process's).
 */
export function temporalTarget(config: Pick<Config, 'TEMPORAL_PORT' | 'TEMPORAL_NAMESPACE'>, env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const overrideEnvVars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const loaded = loadClientConnectConfig({ overrideEnvVars });
  const options = loaded.connectionOptions;
  const address = options.address ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
  const tls = options.tls !== undefined && options.tls !== false && options.tls !== null;
  return {
    address,
    namespace: loaded.namespace ?? config.TEMPORAL_NAMESPACE,
    tls,
    connection: {
      address,
      ...(tls ? { tls: options.tls } : {}),
      ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    },
  };
}

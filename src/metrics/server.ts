import { createServer } from 'node:http';
import type { Config } from '../config/env.js';
import { freePort } from '../http/free-port.js';
import { listen } from '../http/listen.js';
import { sendJson } from '../http/json-requests.js';

/**
 * A worker's or hook's metrics port, from METRICS_PORT: `runtimeAddress` is where Temporal's Runtime is to serve its
 * Prometheus text inside the process (a loopback port of its own; give it to `installProcessLogging`), and `serve`
 * starts the one public port with that text and the health probe. Both undefined / no-op when METRICS_PORT is unset.
 */
export async function processMetrics(config: Pick<Config, 'METRICS_PORT' | 'METRICS_HOST'>): Promise<{
  runtimeAddress: string | undefined;
  serve(healthy: () => boolean | Promise<boolean>): Promise<MetricsServer | undefined>;
}> {
  const port = config.METRICS_PORT;
  if (port === undefined) return { runtimeAddress: undefined, serve: () => Promise.resolve(undefined) };
  const runtimeAddress = `127.0.0.1:${await freePort()}`;
  return { runtimeAddress, serve: (healthy) => startMetricsServer({ host: config.METRICS_HOST, port, runtimeAddress, healthy }) };
}

export interface MetricsServer {
  /** Base URL, e.g. `http://0.0.0.0:9464`; `/metrics` and `/healthz` under it. */
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics`: the Runtime's Prometheus text (Temporal's `temporal_*` and our `summa_fortnox_*`).
 * `GET /healthz`: 200 `{"status":"ok"}` while `healthy()` says so, else 503: what a Kubernetes liveness or readiness
 * probe asks.
 */
export async function startMetricsServer(options: { host: string; port: number; runtimeAddress: string; healthy: () => boolean | Promise<boolean> }): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
    if (path === '/healthz') {
      Promise.resolve()
        .then(options.healthy)
        .then(
          (up) => sendJson(response, up ? 200 : 503, { status: up ? 'ok' : 'unavailable' }),
          () => sendJson(response, 503, { status: 'unavailable' }),
        );
      return;
    }
    if (path !== '/metrics') return sendJson(response, 404, { error: 'not_found' });
    fetch(`http://${options.runtimeAddress}/metrics`, { signal: AbortSignal.timeout(5_000) })
      .then(async (answer) => {
        const text = await answer.text();
        response.writeHead(answer.ok ? 200 : 503, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain; version=0.0.4' });
        response.end(text);
      })
      .catch((error: unknown) => sendJson(response, 503, { error: 'unavailable', reason: error instanceof Error ? error.message : String(error) }));
  });
  const url = await listen(server, options.port, options.host);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createServer } from 'node:http';
import { listen } from '../http/listen.js';
import { createHookHandler, type HookAppOptions } from './app.js';

export interface HookServerOptions extends HookAppOptions {
  /** Interface to listen on; default 127.0.0.1 (put a TLS-terminating proxy in front for Summa). */
  host?: string;
  /** Port; default 0, any free port (see `url`). */
  port?: number;
  /** Longest a request may take to arrive, headers and body, in milliseconds; default 30 000. */
  requestTimeoutMs?: number;
}

export interface HookServer {
  /** Base URL the server listens on, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Stops accepting connections; lets requests in flight finish for up to 5 s, then cuts them. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 5_000;

/** Starts the HTTP receiver for Summa's hook (routes in `app.ts`). */
export async function createHookServer(options: HookServerOptions): Promise<HookServer> {
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const server = createServer(
    {
      // A sender that trickles its headers or body (slowloris) is cut off instead of holding a socket forever.
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      connectionsCheckingInterval: 1_000,
    },
    createHookHandler(options),
  );
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((error) => {
          clearTimeout(cut);
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeIdleConnections();
      }),
  };
}

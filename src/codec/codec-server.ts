import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { isJsonContentType, parseJsonBody, readBody, refuseTooLarge, sendJson, singleHeader } from '../http/json-requests.js';
import { listen } from '../http/listen.js';
import { describeForLog } from '../log/redact.js';

/*
 * The codec server of Temporal's Web UI (and `temporal … --codec-endpoint`): `POST …/decode` and `POST …/encode`
 * take and give `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, proto3 JSON as the UI sends it. Per
 * the codec server protocol only the last path segment names the operation, so the UI can be given
 * `http://127.0.0.1:8788/<token>` as its endpoint: the dev server's UI has no login and sends no credentials of its
 * own (it adds `Authorization: Bearer <its OIDC token>` only with `passAccessToken` over https), so the path is how
 * the built-in UI carries our token. Other callers may send `Authorization: Bearer <token>` to `/decode` instead.
 */

export interface CodecServerLogEntry {
  level: 'warn' | 'error';
  event: 'refused' | 'cannotDecode' | 'unexpected';
  status: number;
  reason: string;
  origin?: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The operator token every request must carry (path segment or Bearer). */
  token: string;
  /** Web UI origins answered, e.g. `http://127.0.0.1:8233`; a request from any other origin gets 403. */
  allowedOrigins: readonly string[];
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 0, any free port. */
  port?: number;
  /** Largest request body in bytes; default 64 MiB (an export's input is a payload of several MB). */
  maxBodyBytes?: number;
  /** Where refusals and failures are reported (never bodies or tokens); default one JSON line on stderr each. */
  log?: (entry: CodecServerLogEntry) => void;
}

export interface CodecServer {
  /** Base URL, e.g. `http://127.0.0.1:8788`. */
  url: string;
  /** The endpoint to give the Web UI (`--ui-codec-endpoint`): the base URL with the token as a path segment. */
  uiEndpoint: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

const jsonPayloadsSchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof jsonPayloadsSchema>['payloads'][number];

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time: equal-length digests, so neither content nor length leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function defaultLog(entry: CodecServerLogEntry): void {
  console.error(JSON.stringify({ at: new Date().toISOString(), component: 'codec-server', ...entry }));
}

/** The request handler; see the module comment for the protocol. */
export function createCodecHandler(options: CodecServerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? defaultLog;
  const allowedOrigins = new Set(options.allowedOrigins);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A browser always names the page's origin on a cross-origin request; tools (curl, the CLI) send none.
    const origin = singleHeader(request, 'origin');
    const refuse = (status: number, reason: string, headers: Record<string, string> = {}) => {
      log({ level: 'warn', event: 'refused', status, reason, ...(origin === undefined ? {} : { origin: origin.slice(0, 200) }) });
      sendJson(response, status, { error: reason }, headers);
    };
    if (origin !== undefined && !allowedOrigins.has(origin)) return refuse(403, 'origin_not_allowed');
    const cors: Record<string, string> = origin === undefined ? {} : { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };

    const segments = new URL(request.url ?? '/', 'http://codec').pathname.split('/').filter((segment) => segment !== '');
    const operation = segments.at(-1);
    if ((operation !== 'decode' && operation !== 'encode') || segments.length > 2) return refuse(404, 'not_found', cors);

    if (request.method === 'OPTIONS') {
      // The preflight carries no credentials (a browser never sends them on one): it learns only what may be sent.
      response.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'content-type, x-namespace, authorization',
        'Access-Control-Max-Age': '600',
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', { ...cors, Allow: 'POST, OPTIONS' });

    const authorization = singleHeader(request, 'authorization');
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const given = segments.length === 2 ? segments[0] : bearer;
    if (given === undefined) return refuse(401, 'unauthorized', { ...cors, 'WWW-Authenticate': 'Bearer' });
    if (!tokensEqual(decodeURIComponentSafe(given), options.token)) return refuse(403, 'forbidden', cors);

    if (!isJsonContentType(singleHeader(request, 'content-type'))) return refuse(415, 'unsupported_media_type', cors);
    const read = await readBody(request, maxBodyBytes);
    if (read.kind === 'aborted') return;
    if (read.kind === 'tooLarge') {
      log({ level: 'warn', event: 'refused', status: 413, reason: 'payload_too_large' });
      return refuseTooLarge(request, response, { error: 'payload_too_large', maxBytes: maxBodyBytes });
    }
    const parsed = parseJsonBody(read.body);
    const body = parsed.ok ? jsonPayloadsSchema.safeParse(parsed.value) : undefined;
    if (body?.success !== true) return refuse(400, 'expected { payloads: [{ metadata, data }] }', cors);

    let payloads: Payload[];
    try {
      const input = body.data.payloads.map(fromJson);
      payloads = operation === 'decode' ? await options.codec.decode(input) : await options.codec.encode(input);
    } catch (error) {
      // An unknown key id or a payload that fails authentication: the message names the key, never the data.
      if (error instanceof ValueError) {
        const message = describeForLog(error);
        log({ level: 'warn', event: 'cannotDecode', status: 422, reason: message });
        return sendJson(response, 422, { error: 'cannot_decode', message }, cors);
      }
      throw error;
    }
    sendJson(response, 200, { payloads: payloads.map(toJson) }, cors);
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      log({ level: 'error', event: 'unexpected', status: 500, reason: describeForLog(error).slice(0, 300) });
      sendJson(response, 500, { error: 'internal' });
    });
  };
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Starts the codec server; listens on 127.0.0.1 unless told otherwise. */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, createCodecHandler(options));
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    uiEndpoint: `${url}/${encodeURIComponent(options.token)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}

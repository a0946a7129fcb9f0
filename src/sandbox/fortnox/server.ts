// The HTTP server: reads each request (bounded), routes it to /sandbox (control), /oauth-v1 or /3, applies any
// injected fault, logs it and writes the answer. Whatever a client sends, the server answers or drops that one
// connection and carries on: every handler runs inside one try/catch that answers Fortnox's 500.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { handleApi, matchApiRoute, unmatchedApiResponse, bearerToken, type ApiDeps } from './api-router.js';
import { handleControl, type ControlDeps } from './control.js';
import { errorInformation, FortnoxApiError, SandboxCode, systemException } from './errors.js';
import type { Fault, Faults } from './faults.js';
import { discardTheRest, readBody } from '../../http/json-requests.js';
import { emptyResponse, fortnoxJsonResponse, parseRequest, type SandboxRequest, type SandboxResponse } from './http.js';
import { handleOAuth, oauthLogBody, peekOAuthTenant, type OAuthDeps } from './oauth.js';
import type { RequestLog } from './request-log.js';

export interface ServerDeps {
  api: ApiDeps;
  oauth: OAuthDeps;
  control: ControlDeps;
  faults: Faults;
  log: RequestLog;
  maxBodyBytes: number;
  /** Where unexpected handler failures are reported. */
  logError: (message: string, error: unknown) => void;
}

/** Bodies up to this size are kept in the request log; larger ones are logged as null. */
const MAX_LOGGED_BODY_BYTES = 64 * 1024;

interface Target {
  route: string;
  tenant: string | null;
  logBody: unknown;
  handle: () => SandboxResponse;
}

function tooLarge(maxBodyBytes: number): SandboxResponse {
  const error = new FortnoxApiError(413, SandboxCode.bodyTooLarge, `Anropet är för stort (högst ${maxBodyBytes} byte)`, 'lowercase');
  return fortnoxJsonResponse(413, errorInformation(error), { Connection: 'close' });
}

function jsonOrNull(body: Buffer): unknown {
  if (body.length === 0 || body.length > MAX_LOGGED_BODY_BYTES) return null;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** What a faulted call answers instead of doing the work: 500 as Fortnox's system exception, 503 empty, 429 as the rate limit. */
function faultResponse(status: number): SandboxResponse {
  if (status === 500) return fortnoxJsonResponse(500, errorInformation(systemException()));
  if (status === 429) return fortnoxJsonResponse(429, { message: 'Too Many Requests' });
  return emptyResponse(status);
}

function resolveTarget(request: SandboxRequest, body: Buffer, deps: ServerDeps): Target {
  if (request.segments[0] === 'oauth-v1') {
    return {
      route: request.path,
      tenant: peekOAuthTenant(request, body, deps.oauth),
      logBody: oauthLogBody(request, body),
      handle: () => handleOAuth(request, body, deps.oauth),
    };
  }
  const token = bearerToken(request);
  const tenant = (token === undefined ? undefined : deps.api.tokens.peekAccessToken(token)?.tenantId) ?? null;
  const logBody = jsonOrNull(body);
  const match = request.segments[0] === '3' ? matchApiRoute(request.method, request.segments) : ({ kind: 'notFound' } as const);
  if (match.kind !== 'found') return { route: request.path, tenant, logBody, handle: () => unmatchedApiResponse(request, match) };
  return { route: match.compiled.route.template, tenant, logBody, handle: () => handleApi(request, body, match, deps.api) };
}

function write(response: ServerResponse, answer: SandboxResponse): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(answer.body) });
  response.end(answer.body);
}

export interface SandboxServer {
  server: Server;
  /** Cancels pending latency faults (on close). */
  abort: AbortController;
}

/** Creates (does not start) the sandbox's HTTP server. */
export function createSandboxServer(deps: ServerDeps): SandboxServer {
  const abort = new AbortController();
  // Closing the sandbox cuts latency faults short rather than keeping the process alive for them.
  const sleep = (ms: number) => delay(ms, undefined, { signal: abort.signal }).catch(() => undefined);

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = parseRequest(request);
    if (parsed === undefined) {
      request.resume();
      return write(response, fortnoxJsonResponse(400, { message: 'Bad request: the URL cannot be decoded' }));
    }
    const body = await readBody(request, deps.maxBodyBytes);
    if (body.kind === 'aborted') return;
    // A larger body is refused with a lingering close, so the client reads the 413 rather than a reset; past 16×
    // the limit the connection drops.
    if (body.kind === 'tooLarge') discardTheRest(request, response, deps.maxBodyBytes * 16);
    if (parsed.segments[0] === 'sandbox') {
      return write(response, body.kind === 'tooLarge' ? tooLarge(deps.maxBodyBytes) : handleControl(parsed, body.body, deps.control));
    }
    const bytes = body.kind === 'ok' ? body.body : Buffer.alloc(0);
    const target = resolveTarget(parsed, bytes, deps);
    const at = new Date().toISOString();
    const loggedBytes = target.logBody === null ? 0 : bytes.length;
    const record = (status: number, fault: Fault | undefined) => {
      const entry = { at, tenant: target.tenant, method: parsed.method, path: parsed.path, route: target.route, query: parsed.queryObject, status, body: target.logBody };
      deps.log.append({ ...entry, fault: fault?.kind ?? null, faultId: fault?.id ?? null }, loggedBytes);
    };
    if (body.kind === 'tooLarge') {
      const answer = tooLarge(deps.maxBodyBytes);
      record(answer.status, undefined);
      return write(response, answer);
    }

    const fault = deps.faults.take({ route: target.route, path: parsed.path, method: parsed.method, tenant: target.tenant });
    if (fault?.kind === 'reset') {
      record(0, fault);
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const answer = faultResponse(fault.status ?? 500);
      record(answer.status, fault);
      return write(response, answer);
    }
    if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 0);

    let answer: SandboxResponse;
    try {
      answer = target.handle();
    } catch (error) {
      deps.logError(`sandbox: ${parsed.method} ${parsed.path} failed`, error);
      answer = fortnoxJsonResponse(500, errorInformation(systemException()));
    }
    record(answer.status, fault);
    if (fault?.kind === 'applyThenDrop') {
      request.socket.destroy(); // the work is done, the answer is lost
      return;
    }
    write(response, answer);
  }

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      // Reading the body failed (the client went away) or something escaped the handlers: answer if possible.
      if (request.complete || !request.destroyed) deps.logError(`sandbox: ${request.method ?? ''} ${request.url ?? ''} failed`, error);
      if (!response.headersSent && !response.destroyed) write(response, fortnoxJsonResponse(500, errorInformation(systemException())));
      else response.destroy();
    });
  });
  // Malformed HTTP (bad request line, oversized headers): answer 400 and close, as Node's default would, without
  // an 'error' event that could take the process down.
  server.on('clientError', (_error: Error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return { server, abort };
}

import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * Small node:http helpers shared by the hook server, the codec server and both sandboxes: a bounded body reader,
 * JSON that cannot pollute prototypes, and answers that always end the response.
 */

export type BodyRead = { kind: 'ok'; body: Buffer } | { kind: 'tooLarge' } | { kind: 'aborted' };

/**
 * Reads the request body, but never more than `maxBytes`: a declared Content-Length over the limit is refused
 * before a byte is read, and a body that grows past it is refused as soon as it does. Nothing is buffered beyond
 * the limit.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve({ kind: 'tooLarge' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAbort);
      request.off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        request.pause();
        finish({ kind: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'ok', body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAbort);
    request.on('close', onAbort);
  });
}

/** How long a refused upload may keep sending (discarded) before its connection is cut. */
const LINGER_MS = 2_000;
/** How much of a refused upload is read and discarded before its connection is cut. */
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * Answers 413 and closes the connection without reading the rest of the body into memory.
 *
 * Why not simply destroy the socket: closing a TCP socket with unread data makes the kernel send a reset, and the
 * client, still uploading, then often sees "connection reset" instead of our 413 — and a sender that sees a
 * network error retries the same oversized body forever. So, like a web server's lingering close, the response is
 * sent with `Connection: close`, our side of the connection is ended, and whatever the client still sends is
 * discarded (never stored) for a short, bounded while before the socket is destroyed.
 */
export function refuseTooLarge(request: IncomingMessage, response: ServerResponse, body: unknown): void {
  discardTheRest(request, response);
  sendJson(response, 413, body, { Connection: 'close' });
}

/**
 * The lingering close of {@link refuseTooLarge} for a server that writes its own refusal: what the client still
 * sends is discarded for a bounded while, and the connection ends once the answer is out. Send the answer with
 * `Connection: close`. `discardBytes` bounds how much is read and thrown away before the connection is cut.
 */
export function discardTheRest(request: IncomingMessage, response: ServerResponse, discardBytes: number = LINGER_BYTES): void {
  const socket = request.socket;
  let discarded = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > discardBytes) cut();
  });
  request.on('error', cut);
  response.once('finish', () => socket.end());
  request.resume();
}

/** Ends the response with a JSON body (or none, for 204). */
export function sendJson(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  if (body === undefined) {
    response.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(text);
}

/** True when the Content-Type is JSON in UTF-8 (`application/json`, optionally with `charset=utf-8`). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || /^charset="?utf-8"?$/.test(parameter));
}

/** Keys that change an object's prototype chain when copied with `Object.assign`, spread or a naive merge. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deepest nesting a body may have: an export is five levels deep (`invoices.0.rows.0.account`), so 64 is generous.
 * Beyond it nothing is read: `JSON.stringify` and every recursive reader overflow the stack at ~10,000 levels, and
 * without a bound the path of each problem grows with the depth, so a 5 MiB body could ask for gigabytes of answer.
 */
export const MAX_JSON_DEPTH = 64;
/** Most structural problems reported for one body; enough to fix a body, and it bounds the answer's size. */
export const MAX_STRUCTURE_PROBLEMS = 20;

/** A part of a parsed body refused whatever route it came to: dotted path (`(body)` for the whole) and why. */
export interface StructureProblem {
  path: string;
  message: string;
}

export type JsonParse =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'invalidJson'; problems: StructureProblem[] }
  | { ok: false; problem: 'refused'; problems: StructureProblem[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a JSON body. Invalid UTF-8 counts as invalid JSON. `JSON.parse` itself never pollutes a prototype, but
 * whatever later copies the value might, so keys such as `__proto__` are refused here, before anything reads the
 * value, with their paths; so are strings that are not Unicode and nesting deeper than `MAX_JSON_DEPTH`.
 */
export function parseJsonBody(raw: Buffer): JsonParse {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, problem: 'invalidJson', problems: [{ path: '(body)', message: 'is not valid UTF-8: send the JSON encoded as UTF-8' }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.slice(0, 200) : 'unreadable';
    return { ok: false, problem: 'invalidJson', problems: [{ path: '(body)', message: `is not JSON (${reason})` }] };
  }
  const problems = structureProblems(value);
  if (problems.length > 0) return { ok: false, problem: 'refused', problems };
  return { ok: true, value };
}

/**
 * A UTF-16 surrogate not part of a pair (with the `u` flag a pair is one code point and does not match). JSON may
 * write one as an escape (`"\ud800"`) in perfectly valid UTF-8; it is not text, UTF-8 cannot carry it, and Fortnox
 * and Summa would store U+FFFD in its place.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const NOT_UNICODE = 'is not valid Unicode: it holds a lone UTF-16 surrogate (\\ud800–\\udfff)';

/**
 * Forbidden keys, keys and strings that are not Unicode, and too-deep nesting anywhere in a parsed JSON value, at
 * most `MAX_STRUCTURE_PROBLEMS` of them. Iterative, so deep nesting cannot overflow the stack.
 */
function structureProblems(root: unknown): StructureProblem[] {
  // Each entry points at its parent rather than carrying its whole path, so a wide body costs memory linear in it.
  interface Node {
    value: unknown;
    key: string;
    depth: number;
    parent: Node | undefined;
  }
  const pathOf = (node: Node, key?: string): string => {
    const keys = key === undefined ? [] : [key];
    for (let at: Node | undefined = node; at !== undefined && at.parent !== undefined; at = at.parent) keys.push(at.key);
    return keys.length === 0 ? '(body)' : keys.reverse().join('.');
  };
  const found: StructureProblem[] = [];
  const pending: Node[] = [{ value: root, key: '', depth: 0, parent: undefined }];
  for (let node = pending.pop(); node !== undefined && found.length < MAX_STRUCTURE_PROBLEMS; node = pending.pop()) {
    const { value } = node;
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) found.push({ path: pathOf(node), message: NOT_UNICODE });
    if (value === null || typeof value !== 'object') continue;
    const keys = Object.keys(value);
    if (keys.length > 0 && node.depth >= MAX_JSON_DEPTH) {
      found.push({ path: pathOf(node), message: `is nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) found.push({ path: pathOf(node, key), message: 'is a reserved name and not allowed' });
      else if (LONE_SURROGATE.test(key)) found.push({ path: pathOf(node, key), message: `is a key that ${NOT_UNICODE}` });
      else pending.push({ value: (value as Record<string, unknown>)[key], key, depth: node.depth + 1, parent: node });
    }
  }
  return found.slice(0, MAX_STRUCTURE_PROBLEMS).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One header's value; a header sent twice counts as absent, since which copy to trust is ambiguous. */
export function singleHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

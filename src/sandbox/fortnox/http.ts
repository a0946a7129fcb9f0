// The sandbox's view of HTTP: a parsed request and a response value (bodies are read by src/http/json-requests.ts). Handlers
// return responses as values so that the server can log them, delay them or drop them (faults.ts) after the
// work is done.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { fortnoxJson } from './json-encoding.js';

export interface SandboxRequest {
  method: string;
  /** The path without query and without a trailing slash ("/3/invoices/5"). */
  path: string;
  /** Its segments, percent-decoded ("/3/customers/A%2FB" → ["3", "customers", "A/B"]). */
  segments: string[];
  /** Query parameters as sent (for the log). */
  queryObject: Record<string, string>;
  /** Query parameters by lowercased name; the first of a repeated parameter wins. */
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the request line, or returns undefined when the target cannot be decoded (answered 400). */
export function parseRequest(request: IncomingMessage): SandboxRequest | undefined {
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const search = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  let segments: string[];
  try {
    // Split before decoding so that an encoded slash stays inside its segment.
    segments = rawPath.split('/').filter((segment) => segment !== '').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  const queryObject: Record<string, string> = {};
  const query = new Map<string, string>();
  for (const [name, value] of search) {
    if (!Object.hasOwn(queryObject, name)) Object.defineProperty(queryObject, name, { value, enumerable: true, writable: true, configurable: true });
    const lower = name.toLowerCase();
    if (!query.has(lower)) query.set(lower, value);
  }
  const path = `/${rawPath.split('/').filter((segment) => segment !== '').join('/')}`;
  return { method: (request.method ?? 'GET').toUpperCase(), path, segments, queryObject, query, headers: request.headers };
}

/** A JSON response escaped the way Fortnox escapes its JSON. */
export function fortnoxJsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: fortnoxJson(value) };
}

/** A plain JSON response (the control API). */
export function jsonResponse(status: number, value: unknown): SandboxResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** A response with a body in a given content type (OAuth errors use misleading ones on purpose). */
export function textResponse(status: number, body: string, contentType: string, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers, body: '' };
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

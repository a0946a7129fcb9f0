import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

const MASK = '[redacted]';

/*
 * Secrets as they appear in what our dependencies put into error messages: OAuth form bodies and JSON answers
 * (Fortnox's token endpoint), HTTP headers (ky's errors, Fortnox's legacy Access-Token/Client-Secret headers),
 * Summa's signature header, and bearer/basic credentials anywhere.
 */
const PATTERNS: readonly [RegExp, string][] = [
  // client_secret=…, refresh_token=… in form bodies and URLs; "client_secret":"…" in JSON; client_secret: … in text
  [/\b(client_secret|refresh_token|access_token|id_token|code_verifier|password|secret|token)("?\s*[:=]\s*"?)([^"&\s,;}]+)/gi, `$1$2${MASK}`],
  [/\b(authorization|proxy-authorization|access-token|client-secret|x-summa-signature|x-api-key)("?\s*[:=]\s*"?)((?:Bearer|Basic|Digest)\s+)?[^"\s,;}]+/gi, `$1$2$3${MASK}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${MASK}`],
  // An HMAC signature header value without its name, e.g. in a quoted request dump
  [/\bv1=[0-9a-f]{32,}/gi, `v1=${MASK}`],
];

/**
 * Removes secrets from a line about to be logged: the known secret values given (client secrets, HMAC secrets,
 * tokens, keys), and anything shaped like a credential (see PATTERNS). Idempotent.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...knownSecrets].filter((value) => value.length >= 8).sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** An error (or anything thrown) as one line for a log, secrets removed. */
export function describeForLog(error: unknown, knownSecrets: readonly string[] = []): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactSecrets(text, knownSecrets);
}

/** Metadata fields whose value is a secret whatever it looks like. */
const SECRET_KEY = /secret|password|authorization|^(access|refresh|id)_?token$|^token$|^key$/i;

function redactValue(value: unknown, knownSecrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value, knownSecrets);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactSecrets(value.message, knownSecrets));
    copy.name = value.name;
    if (value.stack !== undefined) copy.stack = redactSecrets(value.stack, knownSecrets);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, knownSecrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) && item !== undefined ? MASK : redactValue(item, knownSecrets, depth + 1)]),
  );
}

/**
 * Wraps a Temporal logger (Runtime, worker, activity and workflow logs all go through it) so that messages and
 * metadata — activity failures carry Fortnox's error texts, which may echo a credential — are redacted first.
 */
export function redactingLogger(inner: Logger, knownSecrets: readonly string[] = []): Logger {
  const meta = (value: LogMetadata | undefined) => (value === undefined ? undefined : (redactValue(value, knownSecrets, 0) as LogMetadata));
  const log = (level: LogLevel, message: string, metadata?: LogMetadata): unknown =>
    inner.log(level, redactSecrets(message, knownSecrets), meta(metadata));
  return {
    log,
    trace: (message, metadata) => log('TRACE', message, metadata),
    debug: (message, metadata) => log('DEBUG', message, metadata),
    info: (message, metadata) => log('INFO', message, metadata),
    warn: (message, metadata) => log('WARN', message, metadata),
    error: (message, metadata) => log('ERROR', message, metadata),
  };
}

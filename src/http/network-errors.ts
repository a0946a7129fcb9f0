/**
 * A failed request's cause in one line, with the system error code when there is one (fetch wraps ECONNREFUSED,
 * ECONNRESET, ENOTFOUND … in `cause.code`), so a log says "fetch failed, ECONNREFUSED" rather than "fetch failed".
 */
export function describeNetworkCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${cause.message}, ${code}` : cause.message;
  }
  return String(cause);
}

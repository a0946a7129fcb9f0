// Every request to /3 and /oauth-v1, for tests and benchmarks that count calls per endpoint
// (GET /sandbox/requests). Bounded in entries and body bytes, because a benchmark can run for hours.

export interface LoggedRequest {
  seq: number;
  /** ISO timestamp of arrival. */
  at: string;
  tenant: string | null;
  method: string;
  path: string;
  /** The matched route template ('/3/invoices/{DocumentNumber}', '/oauth-v1/token'), else the path. */
  route: string;
  query: Record<string, string>;
  /** The answered status; 0 when a fault dropped the connection without an answer. */
  status: number;
  /** The parsed JSON body (null when none, not JSON, or over 64 KiB); for /oauth-v1 only the grant type. */
  body: unknown;
  /** The kind of fault injected, if one was. */
  fault: string | null;
  faultId: string | null;
}

export interface RequestFilter {
  tenant?: string | undefined;
  route?: string | undefined;
  method?: string | undefined;
}

/** Past either bound, the older half of the log is forgotten. */
const MAX_ENTRIES = 10_000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class RequestLog {
  private entries: { entry: LoggedRequest; bytes: number }[] = [];
  private bodyBytes = 0;
  private seq = 0;

  /** Appends an entry; `bytes` is the size of its body, for the memory bound. */
  append(entry: Omit<LoggedRequest, 'seq'>, bytes = 0): void {
    this.seq += 1;
    this.entries.push({ entry: { seq: this.seq, ...entry }, bytes });
    this.bodyBytes += bytes;
    if (this.entries.length > MAX_ENTRIES || this.bodyBytes > MAX_BODY_BYTES) {
      this.entries = this.entries.slice(Math.floor(this.entries.length / 2));
      this.bodyBytes = this.entries.reduce((sum, item) => sum + item.bytes, 0);
    }
  }

  list(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries
      .map((item) => item.entry)
      .filter(
        (entry) =>
          (filter.tenant === undefined || entry.tenant === filter.tenant) &&
          (filter.route === undefined || entry.route === filter.route) &&
          (filter.method === undefined || entry.method === filter.method.toUpperCase()),
      );
  }

  clear(): void {
    this.entries = [];
    this.bodyBytes = 0;
  }
}

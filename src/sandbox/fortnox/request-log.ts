// Every request to /3 and /oauth-v1, for tests and benchmarks that count calls per endpoint
// (GET /sandbox/requests). Bounded, because a benchmark can run for hours.

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

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  append(entry: Omit<LoggedRequest, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  list(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries.filter(
      (entry) =>
        (filter.tenant === undefined || entry.tenant === filter.tenant) &&
        (filter.route === undefined || entry.route === filter.route) &&
        (filter.method === undefined || entry.method === filter.method.toUpperCase()),
    );
  }

  clear(): void {
    this.entries = [];
  }
}

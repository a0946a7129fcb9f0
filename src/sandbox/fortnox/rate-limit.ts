// Fortnox's rate limit: 25 requests per 5 seconds per client id and tenant, as a sliding window
// (reference/fortnox-api.md §2). Only served requests count; the 429s do not, so a client that keeps knocking
// during a burst gets in again once the window has room.

export interface RateLimitSettings {
  requests: number;
  windowMs: number;
}

export class SlidingWindowLimiter {
  private readonly served = new Map<string, number[]>();

  constructor(private readonly settings: () => RateLimitSettings | false) {}

  /** Counts a request for `key` and returns true, or returns false when the window is full. */
  tryAcquire(key: string, now: number): boolean {
    const settings = this.settings();
    if (settings === false) return true;
    const times = (this.served.get(key) ?? []).filter((time) => time > now - settings.windowMs);
    if (times.length >= settings.requests) {
      this.served.set(key, times);
      return false;
    }
    times.push(now);
    this.served.set(key, times);
    return true;
  }

  clear(): void {
    this.served.clear();
  }
}

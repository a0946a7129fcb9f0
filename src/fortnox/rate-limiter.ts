import { setTimeout as sleep } from 'node:timers/promises';

/** Fortnox's documented limit: 25 requests per sliding 5-second window, per client and tenant. */
export const FORTNOX_RATE_LIMIT = { requests: 25, windowMs: 5_000 } as const;

export interface RateLimit {
  requests: number;
  windowMs: number;
}

interface Queued {
  run: () => void;
}

/** Thrown to a caller whose signal aborted while it waited for a slot; its request was never sent. */
export class RateLimitWaitAbortedError extends Error {
  override readonly name = 'RateLimitWaitAbortedError';
}

/**
 * A sliding-window limiter shared by every caller for one tenant in this process; callers are served in order.
 *
 * A slot stays taken until `windowMs` after its request *finished*, not after it started: Fortnox counts a request
 * when it arrives, somewhere between our send and its answer, so timing from the answer is the only choice that
 * can never put more than `requests` of ours into one of Fortnox's windows, whatever the latency.
 */
export class SlidingWindowRateLimiter {
  /** End times (ms) of finished requests still inside the window, oldest first. */
  private readonly finished: number[] = [];
  private inFlight = 0;
  private readonly queue: Queued[] = [];
  private pumping = false;

  private limit: RateLimit;

  constructor(
    limit: RateLimit = FORTNOX_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = { ...limit };
  }

  /**
   * Changes how many requests a window may hold from now on (this process's share of a limit it shares with others).
   * Requests already in the window keep their slots: a smaller limit admits nothing new until enough have aged out.
   */
  setRequests(requests: number): void {
    this.limit = { ...this.limit, requests };
    void this.pump();
  }

  /**
   * Runs `request` once a slot is free and holds the slot until a window after it has finished. When `signal`
   * aborts while the request still waits, it leaves the queue unsent and the promise rejects.
   */
  schedule<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted === true) return reject(new RateLimitWaitAbortedError('cancelled before a rate-limit slot was free'));
      const entry: Queued = {
        run: () => {
          signal?.removeEventListener('abort', leave);
          request()
            .then(resolve, reject)
            .finally(() => {
              this.inFlight -= 1;
              this.finished.push(this.now());
              void this.pump();
            });
        },
      };
      const leave = () => {
        const index = this.queue.indexOf(entry);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(new RateLimitWaitAbortedError('cancelled while waiting for a rate-limit slot'));
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.queue.push(entry);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        this.dropExpired();
        if (this.inFlight + this.finished.length < this.limit.requests) {
          this.inFlight += 1;
          this.queue.shift()?.run();
          continue;
        }
        const oldest = this.finished[0];
        // Every slot is held by a request still in flight; its completion pumps again.
        if (oldest === undefined) return;
        await sleep(Math.max(1, oldest + this.limit.windowMs - this.now()));
      }
    } finally {
      this.pumping = false;
    }
  }

  private dropExpired(): void {
    const cutoff = this.now() - this.limit.windowMs;
    while (this.finished.length > 0 && (this.finished[0] ?? Infinity) <= cutoff) this.finished.shift();
  }
}

/** One caller's use of its budget in the current window. */
export interface RateLimitHit {
  /** Requests counted in the sliding window, this one included. */
  readonly count: number;
  /** Milliseconds until the current fixed window ends (the `X-RateLimit-Reset` horizon). */
  readonly resetInMs: number;
}

/**
 * Counts requests per key in a sliding window approximated from two fixed windows (the count of
 * the previous window weighted by how much of it still overlaps, plus the current one), as
 * Cloudflare and rate-limiter libraries do: O(1) time and memory per key and request. The store
 * in @nestjs/throttler kept every hit's timestamp and scanned them on each request, which at a
 * game server's 600,000 requests a minute cost more CPU than the request itself.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, now: number): RateLimitHit;
}

interface Counter {
  windowStart: number;
  current: number;
  previous: number;
}

/** The counts of this process. Keys idle for two windows are swept. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, Counter>();
  private lastSweep = 0;

  hit(key: string, windowMs: number, now: number): RateLimitHit {
    const windowStart = now - (now % windowMs);
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { windowStart, current: 0, previous: 0 };
      this.counters.set(key, counter);
    } else if (counter.windowStart !== windowStart) {
      counter.previous = counter.windowStart === windowStart - windowMs ? counter.current : 0;
      counter.current = 0;
      counter.windowStart = windowStart;
    }
    counter.current += 1;
    this.sweep(windowMs, now);
    const overlap = 1 - (now - windowStart) / windowMs;
    return {
      // Rounded up: rounding down let one request more through just after a window boundary
      // (5 before it and 6 after counted as 4 + 6 against a limit of 10).
      count: Math.ceil(counter.previous * overlap) + counter.current,
      resetInMs: windowStart + windowMs - now,
    };
  }

  private sweep(windowMs: number, now: number): void {
    if (now - this.lastSweep < windowMs) {
      return;
    }
    this.lastSweep = now;
    for (const [key, counter] of this.counters) {
      if (counter.windowStart < now - 2 * windowMs) {
        this.counters.delete(key);
      }
    }
  }
}

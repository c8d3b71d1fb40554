/**
 * An event budget: `capacity` events at once, refilled at `perSecond`. Cheap enough to check on
 * every event.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now = Date.now(),
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Refilled to capacity: forgetting the bucket now changes nothing. */
  isFull(now = Date.now()): boolean {
    return this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond >= this.capacity;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(now = Date.now()): number {
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond,
    );
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

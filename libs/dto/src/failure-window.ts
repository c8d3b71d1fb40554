/**
 * Failed authentications per key (a client IP) in a fixed window: once `limit` failures fall in
 * one window, the key is blocked until that window ends. Shared by REST (401s) and the socket
 * handshake. Kept in each process's memory; the map is bounded so that a flood of addresses
 * cannot grow it without end.
 */
export class FailureWindow {
  private readonly entries = new Map<string, { failures: number; endsAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it is not blocked. */
  blockedForMs(key: string): number {
    const entry = this.entries.get(key);
    const now = this.now();
    if (!entry || entry.endsAt <= now) {
      return 0;
    }
    return entry.failures >= this.limit ? entry.endsAt - now : 0;
  }

  recordFailure(key: string): void {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.endsAt > now) {
      entry.failures += 1;
      return;
    }
    this.entries.delete(key);
    if (this.entries.size >= this.maxKeys) {
      this.evict(now);
    }
    this.entries.set(key, { failures: 1, endsAt: now + this.windowMs });
  }

  /** Drops ended windows; if that is not enough, the oldest ones (a Map keeps insertion order). */
  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.endsAt <= now) {
        this.entries.delete(key);
      }
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxKeys) {
        break;
      }
      this.entries.delete(key);
    }
  }
}

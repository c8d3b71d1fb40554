/**
 * The one rule, for REST answers and socket handshake refusals alike, of which refused
 * authentications count against the client's IP (AUTH_FAILURE_LIMIT): every refusal of the
 * credential itself, whether missing, wrong, forged, logged out, revoked, of a disabled account or
 * signed for too long a lifetime, because a client that keeps sending one is guessing or broken.
 * Except an expired token: it was validly signed, and an honest client meets it in normal use
 * (it forgot to refresh). Refusals of a valid credential for what it asked (`forbidden`,
 * `origin_forbidden`, `too_many_connections`, 403s) are not failed authentications at all.
 */
const FAILED_AUTHENTICATION_CODES: ReadonlySet<string> = new Set([
  'unauthenticated',
  'invalid_credentials',
  'token_revoked',
  'token_lifetime_too_long',
  'key_revoked',
  'account_disabled',
]);

/** Whether a refusal with this error code counts as a failed authentication of the client's IP. */
export function countsAsFailedAuthentication(code: unknown): boolean {
  return typeof code === 'string' && FAILED_AUTHENTICATION_CODES.has(code);
}

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

import type { Principal } from '../common/principal';
import type { RevocationSubject } from '../notifications/revocation-bus';

interface CachedPrincipal {
  readonly principal: Principal;
  /** Epoch ms after which the entry must be verified again (cache lifetime or token expiry). */
  readonly validUntil: number;
  readonly subject: Exclude<RevocationSubject, '*'>;
}

/** Which revocation subject ends a principal: its account, its key, or its realm's secret. */
export function revocationSubjectOf(principal: Principal): Exclude<RevocationSubject, '*'> {
  switch (principal.kind) {
    case 'staff':
      return `staff:${principal.staffId}`;
    case 'game_server':
      return `server:${principal.serverId}`;
    case 'player':
      return `realm:${principal.realmId}`;
  }
}

/**
 * Verified credentials of this process, so that a request does not pay for a signature check and
 * an account look-up each time. Correctness rests on invalidation, not on the lifetime: every
 * revocation (logout, password change, disable, role or realm change, key revocation, secret
 * rotation) drops the entries of its subject, at once in the process that made it and through
 * NOTIFY in the others; a lost NOTIFY connection drops everything. The lifetime only bounds how
 * long a missed notice could matter, and no entry outlives its token.
 */
export class CredentialCache {
  private readonly entries = new Map<string, CachedPrincipal>();
  private readonly bySubject = new Map<string, Set<string>>();
  private revocations = 0;

  /**
   * Take this before verifying, and pass it to `set`: a revocation that lands while the
   * verification reads the database must not let its (now stale) result into the cache.
   */
  get revision(): number {
    return this.revocations;
  }

  constructor(
    private readonly lifetimeMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(credential: string, now: number): Principal | undefined {
    const entry = this.entries.get(credential);
    if (!entry) {
      return undefined;
    }
    if (entry.validUntil <= now) {
      this.delete(credential, entry);
      return undefined;
    }
    return entry.principal;
  }

  set(
    credential: string,
    principal: Principal,
    now: number,
    revision: number,
    expiresAt?: Date,
  ): void {
    if (this.lifetimeMs <= 0 || revision !== this.revocations) {
      return;
    }
    const validUntil = Math.min(now + this.lifetimeMs, expiresAt?.getTime() ?? Infinity);
    if (validUntil <= now) {
      return;
    }
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.delete(oldest.value, this.entries.get(oldest.value));
      }
    }
    const subject = revocationSubjectOf(principal);
    this.entries.set(credential, { principal, validUntil, subject });
    let credentials = this.bySubject.get(subject);
    if (!credentials) {
      credentials = new Set();
      this.bySubject.set(subject, credentials);
    }
    credentials.add(credential);
  }

  /** Forgets every credential of the subject (`*`: all of them). */
  revoke(subject: RevocationSubject): void {
    this.revocations += 1;
    if (subject === '*') {
      this.entries.clear();
      this.bySubject.clear();
      return;
    }
    for (const credential of this.bySubject.get(subject) ?? []) {
      this.entries.delete(credential);
    }
    this.bySubject.delete(subject);
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(credential: string, entry: CachedPrincipal | undefined): void {
    this.entries.delete(credential);
    if (entry) {
      const credentials = this.bySubject.get(entry.subject);
      credentials?.delete(credential);
      if (credentials?.size === 0) {
        this.bySubject.delete(entry.subject);
      }
    }
  }
}

import { Injectable } from '@nestjs/common';

/**
 * `server:<id>`, `staff:<id>` or `realm:<id>`: a credential (or a realm's player-token secret)
 * changed and whatever was derived from it must be checked again; `*` means "anything may have
 * changed" (revocation notices may have been missed).
 */
export type RevocationSubject = `server:${string}` | `staff:${string}` | `realm:${string}` | '*';

/**
 * In-process fan-out of revocations: published right after the revoking transaction commits in
 * this process, and when a revocation notice from another process arrives (LISTEN). Holders of
 * derived state (the credential cache) subscribe.
 */
@Injectable()
export class RevocationBus {
  private readonly listeners = new Set<(subject: RevocationSubject) => void>();

  subscribe(listener: (subject: RevocationSubject) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(subject: RevocationSubject): void {
    for (const listener of this.listeners) {
      listener(subject);
    }
  }
}

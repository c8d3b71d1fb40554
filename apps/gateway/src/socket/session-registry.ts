import { RealmsService, StaffService } from '@gmdesk/core';
import { Injectable, Logger } from '@nestjs/common';
import { closeSession, type GatewaySocket } from './socket-session';

/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Live sessions by credential, so that an expiring token, a revoked key or a disabled staff
 * account ends the connection at once, whichever process made the change.
 */
@Injectable()
export class SessionRegistry {
  private readonly logger = new Logger(SessionRegistry.name);
  private readonly bySubject = new Map<string, Set<GatewaySocket>>();
  private readonly timers = new WeakMap<GatewaySocket, NodeJS.Timeout>();

  constructor(
    private readonly realms: RealmsService,
    private readonly staff: StaffService,
  ) {}

  track(socket: GatewaySocket): void {
    const subject = subjectOf(socket);
    if (subject) {
      const sockets = this.bySubject.get(subject) ?? new Set();
      sockets.add(socket);
      this.bySubject.set(subject, sockets);
    }
    const expiresAt = socket.data.expiresAt;
    if (expiresAt) {
      const delay = Math.max(0, expiresAt.getTime() - Date.now());
      const timer = setTimeout(
        () =>
          closeSession(socket, 'token_expired', 'Your token expired; reconnect with a fresh one.'),
        Math.min(delay, MAX_TIMER_MS),
      );
      timer.unref();
      this.timers.set(socket, timer);
    }
  }

  untrack(socket: GatewaySocket): void {
    clearTimeout(this.timers.get(socket));
    const subject = subjectOf(socket);
    const sockets = subject ? this.bySubject.get(subject) : undefined;
    sockets?.delete(socket);
    if (subject && sockets?.size === 0) {
      this.bySubject.delete(subject);
    }
  }

  /** `server:<id>` or `staff:<id>` was revoked somewhere: end its sessions here. */
  revoke(subject: string): void {
    const reason = subject.startsWith('staff:') ? 'account_disabled' : 'revoked';
    for (const socket of [...(this.bySubject.get(subject) ?? [])]) {
      closeSession(socket, reason, 'Your credential was revoked.');
    }
  }

  /**
   * After the notification connection was lost, revocations may have been missed: check every
   * live staff and game-server session again.
   */
  async revalidateAll(): Promise<void> {
    for (const [subject, sockets] of [...this.bySubject]) {
      const stillValid = await this.isValid(subject).catch((error: unknown) => {
        this.logger.warn({ err: error, subject }, 'could not re-check a session; keeping it');
        return true;
      });
      if (!stillValid) {
        for (const socket of [...sockets]) {
          closeSession(
            socket,
            subject.startsWith('staff:') ? 'account_disabled' : 'revoked',
            'Your credential was revoked.',
          );
        }
      }
    }
  }

  private async isValid(subject: string): Promise<boolean> {
    const [kind, id] = subject.split(':', 2) as [string, string];
    if (kind === 'staff') {
      return (await this.staff.findActive(id)) !== null;
    }
    return this.realms.isGameServerActive(id);
  }
}

function subjectOf(socket: GatewaySocket): string | undefined {
  const principal = socket.data.principal;
  switch (principal.kind) {
    case 'staff':
      return `staff:${principal.staffId}`;
    case 'game_server':
      return `server:${principal.serverId}`;
    case 'player':
      return undefined;
  }
}

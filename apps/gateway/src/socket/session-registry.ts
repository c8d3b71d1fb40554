import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { principalKey, RealmsService, StaffService } from '@gmdesk/core';
import { FailureWindow } from '@gmdesk/dto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { closeSession, type GatewaySocket } from './socket-session';

/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
/** How long a revocation is remembered for sockets still between handshake and registration. */
const REVOCATION_MEMORY_MS = 60_000;

/**
 * Live sessions by credential, so that an expiring token, a revoked key or a disabled staff
 * account ends the connection at once, whichever process made the change. It also holds what
 * the handshake admits by: connections per principal and namespace, and failed handshakes per
 * client IP. Those counts are this process's own: behind a load balancer with several gateways,
 * a principal may hold the cap on each.
 */
@Injectable()
export class SessionRegistry {
  private readonly logger = new Logger(SessionRegistry.name);
  private readonly bySubject = new Map<string, Set<GatewaySocket>>();
  private readonly timers = new WeakMap<GatewaySocket, NodeJS.Timeout>();
  private readonly recentlyRevoked = new Map<string, number>();
  private readonly connections = new Map<string, number>();
  /** Failed handshakes per client IP (bad, revoked or disabled credentials). */
  readonly failedHandshakes: FailureWindow;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly realms: RealmsService,
    private readonly staff: StaffService,
  ) {
    this.failedHandshakes = new FailureWindow(
      config.authFailureLimit,
      config.authFailureWindowSeconds * 1000,
    );
  }

  /**
   * Takes one of the principal's connection slots on this namespace, or says no when all
   * SOCKET_CONNECTIONS_PER_PRINCIPAL are taken. The slot is given back when the socket
   * disconnects, or when its connection closes before the socket ever connected (socket.io then
   * drops it without a `disconnect`).
   */
  reserveConnection(namespace: string, socket: GatewaySocket): boolean {
    const key = `${namespace} ${principalKey(socket.data.principal)}`;
    const held = this.connections.get(key) ?? 0;
    if (held >= this.config.socketConnectionsPerPrincipal) {
      return false;
    }
    this.connections.set(key, held + 1);
    const raw = socket as unknown as Socket;
    let released = false;
    const release = (): void => {
      if (released) {
        return;
      }
      released = true;
      raw.off('disconnect', release);
      raw.conn.off('close', release);
      const left = (this.connections.get(key) ?? 1) - 1;
      if (left > 0) {
        this.connections.set(key, left);
      } else {
        this.connections.delete(key);
      }
    };
    raw.once('disconnect', release);
    raw.conn.once('close', release);
    return true;
  }

  track(socket: GatewaySocket): void {
    const subject = subjectOf(socket);
    if (subject) {
      const sockets = this.bySubject.get(subject) ?? new Set();
      sockets.add(socket);
      this.bySubject.set(subject, sockets);
      // A revocation that arrived between this socket's handshake check and now found nothing
      // to close: look again now that it is registered.
      if ((this.recentlyRevoked.get(subject) ?? 0) > Date.now()) {
        void this.endIfNoLongerValid(subject, [socket]);
      }
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

  /**
   * `server:<id>` or `staff:<id>` was revoked or changed somewhere: re-check it and end the
   * sessions that no longer match (disabled, revoked, or other role or realms than at connect).
   */
  revoke(subject: string): void {
    const now = Date.now();
    this.recentlyRevoked.set(subject, now + REVOCATION_MEMORY_MS);
    for (const [known, until] of this.recentlyRevoked) {
      if (until <= now) {
        this.recentlyRevoked.delete(known);
      }
    }
    void this.endIfNoLongerValid(subject, [...(this.bySubject.get(subject) ?? [])]);
  }

  /** After the notification connection was lost, revocations may have been missed: re-check all. */
  async revalidateAll(): Promise<void> {
    for (const [subject, sockets] of [...this.bySubject]) {
      await this.endIfNoLongerValid(subject, [...sockets]);
    }
  }

  private async endIfNoLongerValid(
    subject: string,
    sockets: readonly GatewaySocket[],
  ): Promise<void> {
    if (sockets.length === 0) {
      return;
    }
    const [kind, id] = subject.split(':', 2) as [string, string];
    try {
      if (kind === 'server') {
        if (!(await this.realms.isGameServerActive(id))) {
          sockets.forEach((socket) => closeSession(socket, 'revoked', 'This API key was revoked.'));
        }
        return;
      }
      const staff = await this.staff.findActive(id);
      for (const socket of sockets) {
        const principal = socket.data.principal;
        if (!staff) {
          closeSession(socket, 'account_disabled', 'This staff account was disabled.');
        } else if (
          principal.kind === 'staff' &&
          (principal.role !== staff.role ||
            [...principal.realms].sort().join() !== [...staff.realms].sort().join())
        ) {
          closeSession(socket, 'credentials_changed', 'Your role or realms changed; reconnect.');
        }
      }
    } catch (error) {
      this.logger.warn(
        { err: error, subject },
        'could not re-check a session; keeping it until the next check',
      );
    }
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

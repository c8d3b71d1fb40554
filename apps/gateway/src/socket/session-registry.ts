import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { AuthService, DomainError, principalKey, RealmsService } from '@gmdesk/core';
import { FailureWindow } from '@gmdesk/dto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { closeSession, type CloseReason, type GatewaySocket } from './socket-session';

/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
/** How long a revocation is remembered for sockets still between handshake and registration. */
const REVOCATION_MEMORY_MS = 60_000;

/**
 * Live sessions by credential, so that an expiring token, a revoked key, a disabled staff account,
 * a logged-out or superseded staff token, or a retired player-token secret ends the connection at
 * once, whichever process made the change. Staff and player sessions are re-checked by verifying
 * their token again, exactly as a new request would be: one rule for REST and sockets.
 *
 * It also holds what the handshake admits by: connections per principal and namespace, and
 * failed handshakes per client IP. Those counts are this process's own: behind a load balancer
 * with several gateways, a principal may hold the cap on each.
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
    private readonly auth: AuthService,
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
    const sockets = this.bySubject.get(subject) ?? new Set();
    sockets.add(socket);
    this.bySubject.set(subject, sockets);
    // A revocation that arrived between this socket's handshake check and now found nothing
    // to close: look again now that it is registered.
    if ((this.recentlyRevoked.get(subject) ?? 0) > Date.now()) {
      void this.endIfNoLongerValid(subject, [socket]);
    }
    this.scheduleExpiry(socket);
  }

  untrack(socket: GatewaySocket): void {
    clearTimeout(this.timers.get(socket));
    const subject = subjectOf(socket);
    const sockets = this.bySubject.get(subject);
    sockets?.delete(socket);
    if (sockets?.size === 0) {
      this.bySubject.delete(subject);
    }
  }

  /**
   * `server:<id>`, `staff:<id>` or `realm:<id>` was revoked or changed somewhere: re-check its
   * sessions and end those that no longer hold (revoked key, disabled account, ended token, other
   * role or realms than at connect, a player token only a retired secret verifies).
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

  /** Ends the session when its credential expires (`socket.data.expiresAt`), on a timer. */
  private scheduleExpiry(socket: GatewaySocket): void {
    clearTimeout(this.timers.get(socket));
    const expiresAt = socket.data.expiresAt;
    if (!expiresAt) {
      return;
    }
    const delay = Math.max(0, expiresAt.getTime() - Date.now());
    const timer = setTimeout(
      () =>
        closeSession(socket, 'token_expired', 'Your token expired; reconnect with a fresh one.'),
      Math.min(delay, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(socket, timer);
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
      switch (kind) {
        case 'server':
          if (!(await this.realms.isGameServerActive(id))) {
            sockets.forEach((socket) =>
              closeSession(socket, 'revoked', 'This API key was revoked.'),
            );
          }
          return;
        case 'staff':
          for (const socket of sockets) {
            await this.recheckStaff(socket);
          }
          return;
        case 'realm':
          await this.recheckPlayers(id, sockets);
          return;
      }
    } catch (error) {
      this.logger.warn(
        { err: error, subject },
        'could not re-check a session; keeping it until the next check',
      );
    }
  }

  /**
   * A staff socket whose token no longer authenticates ends for good (`account_disabled`,
   * `revoked`: logged out or password changed, `token_expired`), with `retry: false`. One whose
   * role or realms changed ends with `credentials_changed`, `retry: true`: the account still
   * works, and reconnecting with the same token picks up the new rights.
   */
  private async recheckStaff(socket: GatewaySocket): Promise<void> {
    const connected = socket.data.principal;
    const token = tokenOf(socket);
    if (connected.kind !== 'staff' || token === undefined) {
      return;
    }
    let current;
    try {
      current = await this.auth.authenticateBearer(token, { fresh: true });
    } catch (error) {
      if (error instanceof DomainError) {
        closeSession(socket, ...closingFor((error as DomainError<string>).code, 'staff'));
        return;
      }
      throw error;
    }
    if (
      current.kind !== 'staff' ||
      current.role !== connected.role ||
      [...current.realms].sort().join() !== [...connected.realms].sort().join()
    ) {
      closeSession(socket, 'credentials_changed', 'Your role or realms changed; reconnect.');
    }
  }

  /**
   * After a realm's player-token secret was rotated: a session whose token only the replaced
   * secret verifies now ends when that secret stops (at once when it already has).
   */
  private async recheckPlayers(realmId: string, sockets: readonly GatewaySocket[]): Promise<void> {
    const players = sockets.flatMap((socket) => {
      const token = tokenOf(socket);
      return token === undefined ? [] : [{ socket, token }];
    });
    const results = await this.auth.recheckPlayerTokens(
      realmId,
      players.map((player) => player.token),
    );
    results.forEach((result, index) => {
      const socket = players[index]?.socket;
      if (!socket || socket.disconnected) {
        return;
      }
      if (result instanceof DomainError) {
        closeSession(socket, ...closingFor(result.code, 'player'));
      } else if (result.expiresAt < (socket.data.expiresAt ?? result.expiresAt)) {
        socket.data.expiresAt = result.expiresAt;
        this.scheduleExpiry(socket);
      }
    });
  }
}

/** The close reason and message for a token that stopped authenticating with `code`. */
function closingFor(code: string, who: 'staff' | 'player'): [CloseReason, string] {
  switch (code) {
    case 'account_disabled':
      return ['account_disabled', 'This staff account was disabled.'];
    case 'token_expired':
      return ['token_expired', 'Your token expired; reconnect with a fresh one.'];
    default:
      return who === 'staff'
        ? ['revoked', 'This session has ended (logged out, or the password changed); log in again.']
        : [
            'revoked',
            "Your token is no longer accepted (the realm's secret changed); get a new one.",
          ];
  }
}

/** The bearer token the socket authenticated with at the handshake. */
function tokenOf(socket: GatewaySocket): string | undefined {
  const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token'];
  return typeof token === 'string' ? token : undefined;
}

function subjectOf(socket: GatewaySocket): string {
  const principal = socket.data.principal;
  switch (principal.kind) {
    case 'staff':
      return `staff:${principal.staffId}`;
    case 'game_server':
      return `server:${principal.serverId}`;
    case 'player':
      return `realm:${principal.realmId}`;
  }
}

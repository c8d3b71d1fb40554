import {
  SESSION_CLOSING_EVENT,
  type SessionCloseCode,
  type SessionClosing,
} from '@gmdesk/contracts';
import type { Principal } from '@gmdesk/core';
import type { Socket } from 'socket.io';

/** What the handshake middleware leaves on `socket.data`; handlers trust only this. */
export interface SessionData {
  principal: Principal;
  /** The durable stream this connection receives (player, game server or staff). */
  stream: string;
  /** When the credential stops being valid; the session ends then. */
  expiresAt?: Date;
  /** Display name for presence (staff). */
  displayName?: string;
  /**
   * Settles when the socket is registered for delivery. Nest does not wait for handleConnection
   * before dispatching events, so `resume` and filters wait on this.
   */
  attached?: Promise<void>;
  /** Set on disconnect, so a registration still in flight does not register a dead socket. */
  closed?: boolean;
  /** How many `resume`s this connection sent (they are limited). */
  resumes?: number;
  /** Tickets a staff socket watches (its presence rooms), kept because socket.io empties rooms before `disconnect`. */
  watching?: Set<string>;
  /** Chat batches of this game server connection not yet acknowledged (they are bounded). */
  chatBatchesInFlight?: number;
}

export type GatewaySocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  SessionData
>;

/** Why a session ends, sent as `session.closing` right before the server disconnects. */
export type CloseReason = SessionCloseCode;

/** Whether a client should reconnect after this reason (DESIGN §4). */
export const RETRY_AFTER_CLOSE: Record<CloseReason, boolean> = {
  token_expired: false,
  revoked: false,
  account_disabled: false,
  // Role or realms changed: the same token is still good; reconnecting picks up the new rights.
  credentials_changed: true,
  slow_consumer: true,
  unavailable: true,
  shutting_down: true,
};

/** Tells the client why, then disconnects (socket.io's own reason would only say "server disconnect"). */
export function closeSession(socket: GatewaySocket, reason: CloseReason, message: string): void {
  const closing: SessionClosing = { code: reason, message, retry: RETRY_AFTER_CLOSE[reason] };
  (socket as unknown as Socket).emit(SESSION_CLOSING_EVENT, closing);
  socket.disconnect(true);
}

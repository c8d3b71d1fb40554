/**
 * Durable delivery (DESIGN §4). Every event a recipient must not miss is stored in its stream
 * with a sequence number; clients remember `{ epoch, lastSeq }` and send it in `resume`.
 */

/** Stream names: one per player, one per game server, one for all staff. */
export const streams = {
  player: (realmId: string, accountId: string): string => `player:${realmId}:${accountId}`,
  gameServer: (serverId: string): string => `server:${serverId}`,
  staff: (): string => 'staff',
} as const;

/** What a client receives for every durable event (the socket.io event name is `event`). */
export interface DeliveredEvent<Name extends string = string, Data = unknown> {
  readonly stream: string;
  /** Changes when the stream's history is reset; a client with another epoch must re-sync. */
  readonly epoch: string;
  /** 1, 2, 3, … per stream, without gaps; a duplicate after a crash carries the same seq. */
  readonly seq: number;
  readonly event: Name;
  readonly data: Data;
  readonly at: string;
}

export interface ResumeRequest {
  readonly epoch?: string;
  readonly lastSeq: number;
}

/**
 * - `epoch_changed`: the stream's history was reset; re-fetch everything.
 * - `history_pruned`: the events after your lastSeq are gone (retention); re-fetch.
 * - `ahead_of_server`: you claim a seq the server never issued (restored database?); re-fetch.
 * - `snapshot_required`: a fresh client of a busy shared stream (staff): load the current state over
 *   REST and continue live from `lastSeq`.
 */
export type ResyncReason =
  'epoch_changed' | 'history_pruned' | 'ahead_of_server' | 'snapshot_required';

/** The ack of `resume`: either the missed events follow and then `resumed`, or re-sync over REST. */
export type ResumeAck =
  | {
      readonly ok: true;
      readonly resync: false;
      readonly epoch: string;
      readonly replayed: number;
      readonly lastSeq: number;
    }
  | {
      readonly ok: true;
      readonly resync: true;
      readonly reason: ResyncReason;
      readonly epoch: string;
      readonly lastSeq: number;
    };

/** Sent after the replayed events of a resume: everything up to `lastSeq` has been sent. */
export interface ResumedMarker {
  readonly epoch: string;
  readonly lastSeq: number;
}

export const RESUMED_EVENT = 'resumed';

/** Sent by the server right before it ends a session, with whether to reconnect. */
export const SESSION_CLOSING_EVENT = 'session.closing';

/**
 * - `revoked`: the credential was withdrawn (a revoked game-server key, a logged-out staff token or
 *   one older than a password change, a player token only a retired realm secret verified).
 * - `account_disabled`: the staff account was disabled.
 * - `credentials_changed`: the staff member's role or realms changed; the token still works, so
 *   reconnect with it (retry) to get the new rights.
 */
export type SessionCloseCode =
  | 'token_expired'
  | 'revoked'
  | 'account_disabled'
  | 'credentials_changed'
  | 'slow_consumer'
  | 'unavailable'
  | 'shutting_down';

export interface SessionClosing {
  readonly code: SessionCloseCode;
  readonly message: string;
  /** True: reconnect (with backoff) and resume. False: get a new credential first. */
  readonly retry: boolean;
}

/** `connect_error` codes of a refused handshake (`err.data.code`). */
export type HandshakeErrorCode =
  | 'unauthenticated'
  | 'token_expired'
  | 'token_revoked'
  | 'token_lifetime_too_long'
  | 'key_revoked'
  | 'account_disabled'
  | 'forbidden'
  | 'origin_forbidden'
  /** Too many failed authentications from this IP; `retryAfterMs` says how long to wait. */
  | 'rate_limited'
  /** The principal already holds SOCKET_CONNECTIONS_PER_PRINCIPAL sockets on this namespace. */
  | 'too_many_connections'
  /** The main namespace `/` (or another one gmdesk does not serve). */
  | 'unknown_namespace'
  | 'internal';

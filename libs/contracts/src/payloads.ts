import type { ResumeAck, ResumeRequest } from './delivery';
import type {
  ReportCategory,
  ReportStatus,
  SanctionAction,
  SupportCategory,
  TicketKind,
  TicketStatus,
} from './domain';
import type { CLIENT_EVENTS, PresenceEvent } from './events';

/**
 * What clients send (DESIGN §3) and what a successful ack carries, as plain types. The gateway's
 * DTO classes (apps/gateway/src/dto/payloads.dto.ts) validate exactly these shapes; keeping the
 * types here, without decorators, lets the SDK and the console use them without class-validator.
 */

export interface LocationPayload {
  readonly zone: string;
  readonly instance?: string;
  readonly x?: number;
  readonly y?: number;
  readonly z?: number;
}

/** `report.create` from a player's own client. */
export interface PlayerReportPayload {
  readonly reportedPlayerId: string;
  readonly category: ReportCategory;
  readonly description: string;
  /** ISO 8601 timestamp of the incident. */
  readonly occurredAt: string;
  readonly location?: LocationPayload;
  /** Sockets have no headers: a retry sends the same key in the payload. */
  readonly idempotencyKey?: string;
}

/** `report.create` relayed by a game server for one of its players. */
export interface ServerReportPayload extends PlayerReportPayload {
  readonly reporterPlayerId: string;
}

export interface TicketCreatePayload {
  readonly category: SupportCategory;
  readonly subject: string;
  readonly body: string;
  /** BCP 47-ish language tag such as `en` or `pt-BR`. */
  readonly language?: string;
  readonly idempotencyKey?: string;
}

export interface TicketMessagePayload {
  readonly ticketId: string;
  readonly body: string;
  /** A retried send carries the same key: the message is written once. */
  readonly idempotencyKey?: string;
}

export interface TicketRefPayload {
  readonly ticketId: string;
}

export interface QueueWatchPayload {
  readonly realmId?: string;
  readonly kind?: TicketKind;
  readonly category?: string;
}

export type PlayerSessionState = 'login' | 'logout';

export interface PlayerSessionPayload {
  readonly playerId: string;
  readonly state: PlayerSessionState;
  readonly displayName?: string;
  readonly language?: string;
  /** When the game created the account (ISO 8601 with Z or an offset); see the player upsert. */
  readonly accountCreatedAt?: string;
}

/** The ack of `report.create` (besides `ok: true`): a repeat against the same target merges. */
export interface ReportFiledResult {
  readonly outcome: 'created' | 'merged';
  readonly report: {
    readonly id: string;
    readonly status: ReportStatus;
    readonly createdAt: string;
  };
}

export interface TicketOpenedResult {
  readonly ticket: {
    readonly id: string;
    readonly status: TicketStatus;
    readonly subject: string;
    readonly createdAt: string;
  };
}

export interface TicketMessageResult {
  readonly message: { readonly id: string; readonly createdAt: string };
}

export interface QueueWatchResult {
  readonly filters: QueueWatchPayload;
}

export interface TicketWatchResult {
  readonly presence: PresenceEvent;
}

export interface PlayerSessionResult {
  readonly player: { readonly accountId: string; readonly online: boolean };
}

/** Omit applied to each member of a union (plain Omit would keep only the shared keys). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The ack of `resume` without its `ok: true`, for request maps whose acks are `Ack<T>`. */
export type ResumeResult = OmitEach<ResumeAck, 'ok'>;

/** One client → server event: what is sent and what a successful ack adds to `ok: true`. */
export interface ClientRequest<Payload extends object, Result extends object> {
  readonly payload: Payload;
  readonly result: Result;
}

/** Client → server events per namespace, typed (the names are `CLIENT_EVENTS`). */
export interface PlayerRequests {
  resume: ClientRequest<ResumeRequest, ResumeResult>;
  'report.create': ClientRequest<PlayerReportPayload, ReportFiledResult>;
  'ticket.create': ClientRequest<TicketCreatePayload, TicketOpenedResult>;
  'ticket.message': ClientRequest<TicketMessagePayload, TicketMessageResult>;
}

export interface StaffRequests {
  resume: ClientRequest<ResumeRequest, ResumeResult>;
  'queue.watch': ClientRequest<QueueWatchPayload, QueueWatchResult>;
  'ticket.watch': ClientRequest<TicketRefPayload, TicketWatchResult>;
  'ticket.unwatch': ClientRequest<TicketRefPayload, object>;
  typing: ClientRequest<TicketRefPayload, object>;
}

export interface SanctionAckPayload {
  readonly sanctionId: string;
  readonly action: SanctionAction;
}

export interface SanctionAckResult {
  readonly acknowledged: true;
}

/** One chat line as a game server sends it. */
export interface ChatLinePayload {
  /** `say`, `party`, `guild`, `whisper`, `trade`, `world`… or the game's own (lowercase). */
  readonly channel: string;
  /** The sender's game account id. */
  readonly sender: string;
  /** The recipient's account id: required on `whisper`. */
  readonly recipient?: string;
  /** At most 1,000 characters. */
  readonly body: string;
  /** ISO 8601 with Z or an offset. */
  readonly sentAt: string;
}

/** `chat.batch` (and `POST /chat/batches`): up to 5,000 lines, at most 2 MiB as JSON. */
export interface ChatBatchPayload {
  /** Unique per batch and server: a resend after a lost ack stores nothing twice. */
  readonly batchId: string;
  readonly lines: readonly ChatLinePayload[];
}

/** Why one line of a batch was not stored. */
export interface RejectedChatLinePayload {
  readonly index: number;
  readonly code: string;
}

/** The ack of a chat batch, sent once its lines are committed. */
export interface ChatBatchResult {
  readonly batchId: string;
  readonly accepted: number;
  readonly rejected: readonly RejectedChatLinePayload[];
  /** True for the stored answer to a batch sent before: nothing was stored this time. */
  readonly replayed: boolean;
  /** Present when gmdesk is busy writing chat: wait this long before sending the next batch. */
  readonly retryAfterMs?: number;
}

export interface GameServerRequests {
  resume: ClientRequest<ResumeRequest, ResumeResult>;
  'chat.batch': ClientRequest<ChatBatchPayload, ChatBatchResult>;
  'player.session': ClientRequest<PlayerSessionPayload, PlayerSessionResult>;
  'report.create': ClientRequest<ServerReportPayload, ReportFiledResult>;
  'sanction.ack': ClientRequest<SanctionAckPayload, SanctionAckResult>;
}

/**
 * Compile-time check that the request maps name exactly the events in `CLIENT_EVENTS`: adding an
 * event to one and not the other fails the typecheck instead of shipping an SDK that cannot send it.
 */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AssertTrue<T extends true> = T;
type ClientEventName<K extends keyof typeof CLIENT_EVENTS> = (typeof CLIENT_EVENTS)[K][number];
type _PlayerRequestsMatch = AssertTrue<SameKeys<keyof PlayerRequests, ClientEventName<'player'>>>;
type _StaffRequestsMatch = AssertTrue<SameKeys<keyof StaffRequests, ClientEventName<'staff'>>>;
type _GameRequestsMatch = AssertTrue<SameKeys<keyof GameServerRequests, ClientEventName<'game'>>>;

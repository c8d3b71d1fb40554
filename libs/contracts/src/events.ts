import type {
  ReportCategory,
  SanctionAction,
  SanctionEnforcementStatus,
  SanctionType,
  TicketKind,
  TicketPriority,
  TicketStatus,
} from './domain';

/**
 * Every event of the socket protocol (DESIGN §3), declared once: names, payloads and acks. The
 * gateway emits through these maps and the SDK is typed from them.
 */

export interface PlayerRef {
  readonly accountId: string;
  readonly displayName: string | null;
}

/** A staff reply to a player's support ticket (durable, player stream). */
export interface TicketReplyEvent {
  readonly ticketId: string;
  readonly messageId: string;
  readonly body: string;
  readonly authorName: string;
  readonly createdAt: string;
}

/** A player's ticket changed status (durable, player stream). */
export interface TicketStatusEvent {
  readonly ticketId: string;
  readonly status: TicketStatus;
}

/** A queue row changed or appeared (durable, staff stream). */
export interface TicketSummaryEvent {
  readonly ticketId: string;
  readonly realmId: string;
  readonly kind: TicketKind;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly category: string;
  readonly subject: string;
  readonly assigneeId: string | null;
  /** What happened: `opened`, `player_message`, `reply`, `status`, `assigned`, `report_added`, … */
  readonly change: string;
}

/** A report was filed (durable, staff stream). */
export interface ReportFiledEvent {
  readonly reportId: string;
  readonly ticketId: string;
  readonly realmId: string;
  readonly category: ReportCategory;
  readonly reported: PlayerRef;
  readonly reporter: PlayerRef;
}

/**
 * Where one game server now stands with one event of a sanction (durable, staff stream): sent
 * when a game server acknowledges it (`state: 'acked'`). The console turns that server's chip
 * from pending to enforced (or lifted, for `action: 'revoked'`) without re-reading the sanction.
 */
export interface SanctionEnforcementEvent {
  readonly sanctionId: string;
  readonly realmId: string;
  /** The sanctioned player's game account id. */
  readonly playerId: string;
  readonly serverId: string;
  readonly action: SanctionAction;
  readonly state: SanctionEnforcementStatus;
  readonly at: string;
}

/**
 * For a game server to show in-game: something for one of its online players (durable, game
 * server stream). `event`/`data` are what the player stream received.
 */
export interface PlayerNotifyEvent {
  readonly playerId: string;
  readonly event: keyof PlayerEvents;
  readonly data: PlayerEvents[keyof PlayerEvents];
}

export interface StaffTypingEvent {
  readonly ticketId: string;
}

export interface PresenceEvent {
  readonly ticketId: string;
  readonly viewers: readonly { readonly staffId: string; readonly displayName: string }[];
}

/** Durable events per recipient kind. */
export interface PlayerEvents {
  'ticket.reply': TicketReplyEvent;
  'ticket.status': TicketStatusEvent;
}

export interface StaffEvents {
  'ticket.created': TicketSummaryEvent;
  'ticket.updated': TicketSummaryEvent;
  'report.filed': ReportFiledEvent;
  'sanction.enforcement': SanctionEnforcementEvent;
}

/**
 * A sanction to enforce (durable, game server stream), or one that was lifted. Acknowledge each
 * with `sanction.ack`; an unacknowledged one is sent again after a reconnect (`redelivery: true`),
 * so handle it idempotently by `sanctionId`.
 */
export interface SanctionEvent {
  readonly sanctionId: string;
  readonly playerId: string;
  readonly type: SanctionType;
  /** The statement of reasons shown to the player. */
  readonly publicReason: string;
  readonly startsAt: string;
  /** Null: permanent (or, for warn and kick, instantaneous). */
  readonly expiresAt: string | null;
  readonly redelivery: boolean;
}

/**
 * A sanction a game server must enforce now, as `GET /realms/:realmId/sanctions/active` lists it
 * (the fields of `sanction.issued`, so one handler can apply both).
 */
export type ActiveSanction = Omit<SanctionEvent, 'redelivery'>;

/** One page of `GET /realms/:realmId/sanctions/active`, oldest first; `nextCursor` null at the end. */
export interface ActiveSanctionPage {
  readonly items: readonly ActiveSanction[];
  readonly nextCursor: string | null;
}

export interface GameServerEvents {
  'player.notify': PlayerNotifyEvent;
  'sanction.issued': SanctionEvent;
  'sanction.revoked': SanctionEvent;
}

/** Ephemeral events (not stored, not replayed). */
export const EPHEMERAL_EVENTS = {
  staffTyping: 'staff.typing',
  presence: 'presence',
} as const;

/** Client → server events per namespace. */
export const CLIENT_EVENTS = {
  player: ['resume', 'report.create', 'ticket.create', 'ticket.message'] as const,
  staff: ['resume', 'queue.watch', 'ticket.watch', 'ticket.unwatch', 'typing'] as const,
  game: ['resume', 'player.session', 'report.create', 'sanction.ack', 'chat.batch'] as const,
};

/** Room names, defined once (only the server joins sockets to rooms). */
export const rooms = {
  ticketViewers: (ticketId: string): string => `ticket:${ticketId}`,
} as const;

export type Ack<T extends object = object> =
  | ({ readonly ok: true } & T)
  | {
      readonly ok: false;
      readonly error: {
        readonly code: string;
        readonly message: string;
        readonly details?: unknown;
      };
    };

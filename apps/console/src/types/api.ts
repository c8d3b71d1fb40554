import type {
  MessageVisibility,
  ReportCategory,
  ReportStatus,
  SanctionAction,
  SanctionEnforcementStatus,
  SanctionType,
  StaffRole,
  TicketKind,
  TicketPriority,
  TicketStatus,
} from '@gmdesk/contracts';

/**
 * The REST response shapes the console reads, as the api documents them (`/docs/openapi.json`,
 * the `*ResponseDto` classes in apps/api). They are not in libs/contracts yet; when they move
 * there, these become re-exports.
 */

export interface PlayerRef {
  readonly accountId: string;
  readonly displayName: string | null;
}

export interface StaffMember {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: StaffRole;
  /** Empty: every realm. */
  readonly realms: readonly string[];
  readonly languages: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface SessionResponse {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresAt: string;
  readonly staff: StaffMember;
}

export interface Ticket {
  readonly id: string;
  readonly realmId: string;
  readonly kind: TicketKind;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly category: string;
  readonly subject: string;
  readonly requester: PlayerRef | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly subjectPlayer?: PlayerRef | null;
  readonly assigneeId?: string | null;
  readonly priorityOverridden?: boolean;
  readonly tags?: readonly string[];
  readonly flags?: readonly string[];
  readonly score?: number;
  readonly reportCount?: number;
  readonly reporterCount?: number;
  readonly firstResponseDueAt?: string | null;
  readonly resolutionDueAt?: string | null;
  readonly firstRespondedAt?: string | null;
}

export interface TicketMessage {
  readonly id: string;
  readonly authorType: 'player' | 'staff' | 'system';
  readonly authorStaffId?: string | null;
  readonly authorPlayer: PlayerRef | null;
  readonly visibility: MessageVisibility;
  readonly body: string;
  readonly createdAt: string;
}

export interface ReportLocation {
  readonly zone: string;
  readonly instance?: string | null;
  readonly x?: number | null;
  readonly y?: number | null;
  readonly z?: number | null;
}

export interface Report {
  readonly id: string;
  readonly realmId: string;
  readonly reporter: PlayerRef;
  readonly reported: PlayerRef;
  readonly category: ReportCategory;
  readonly description: string;
  readonly occurredAt: string;
  readonly location: ReportLocation | null;
  readonly status: ReportStatus;
  readonly repeatCount: number;
  readonly createdAt: string;
  readonly ticketId?: string;
  /** Reporter credibility when filed (0..1-ish weight). */
  readonly reporterWeight?: number;
}

export interface TicketDetail extends Ticket {
  readonly messages: readonly TicketMessage[];
  readonly reports?: readonly Report[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Player {
  readonly realmId: string;
  readonly accountId: string;
  readonly displayName: string | null;
  readonly language: string | null;
  /** 0..1: how much weight this player's reports carry. */
  readonly reportCredibility?: number;
  readonly reportBannedUntil: string | null;
  readonly firstSeenAt: string;
}

export interface Realm {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface AuditEntry {
  readonly id: string;
  readonly actorType: string;
  readonly actorId: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly realmId: string | null;
  readonly before: object | null;
  readonly after: object | null;
  readonly requestId: string | null;
  readonly at: string;
}

/** `GET /staff/directory`: a colleague's name, for every staff role. */
export interface StaffDirectoryEntry {
  readonly id: string;
  readonly displayName: string;
}

export interface Sanction {
  readonly id: string;
  readonly realmId: string;
  /** The sanctioned player's game account id. */
  readonly playerId: string;
  readonly type: SanctionType;
  readonly publicReason: string;
  readonly privateReason: string | null;
  readonly startsAt: string;
  readonly expiresAt: string | null;
  readonly issuedBy: string;
  readonly ticketId: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly revokeReason: string | null;
  readonly active: boolean;
  readonly createdAt: string;
}

/** Where one game server stands with one event (issued / revoked) of a sanction. */
export interface ServerEnforcement {
  readonly serverId: string;
  readonly serverName: string;
  readonly action: SanctionAction | null;
  readonly status: SanctionEnforcementStatus;
  readonly sentAt: string | null;
  readonly ackedAt: string | null;
  readonly supersededBy: 'revoked' | 'expired' | null;
}

export interface SanctionDetail extends Sanction {
  readonly enforcement: readonly ServerEnforcement[];
}

export interface GameServer {
  readonly id: string;
  readonly realmId: string;
  readonly name: string;
  readonly keyId: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** `POST /realms/:realmId/game-servers`: the key is in this answer only. */
export interface CreatedGameServer extends GameServer {
  readonly apiKey: string;
}

/** `POST /realms`: the player-token secret is in this answer only. */
export interface CreatedRealm extends Realm {
  readonly playerTokenSecret: string;
}

/** GET /stats/backlog: open (new, open, pending) items. */
export interface BacklogFigures {
  readonly open: number;
  readonly unassigned: number;
  readonly breaching: number;
  readonly awaitingFirstResponse: number;
}

export interface BacklogStats {
  readonly generatedAt: string;
  readonly totals: BacklogFigures;
  readonly cells: readonly (BacklogFigures & {
    readonly kind: TicketKind;
    readonly priority: TicketPriority;
  })[];
  readonly oldestWaiting: readonly {
    readonly kind: TicketKind;
    readonly ticketId: string;
    readonly realmId: string;
    readonly status: TicketStatus;
    readonly priority: TicketPriority;
    /** Player-supplied for support tickets. */
    readonly subject: string;
    readonly createdAt: string;
    readonly waitingSeconds: number;
  }[];
}

/** GET /stats/intake: per UTC hour, oldest first. */
export interface IntakeStats {
  readonly hours: number;
  readonly buckets: readonly {
    readonly hour: string;
    readonly reports: number;
    readonly supportTickets: number;
    readonly cases: number;
  }[];
  readonly totals: {
    readonly reports: number;
    readonly supportTickets: number;
    readonly cases: number;
  };
}

export interface ResponseTimeFigures {
  readonly tickets: number;
  readonly answered: number;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

/** GET /stats/response-times: support tickets by when they were opened. */
export interface ResponseTimeStats {
  readonly bucket: 'hour' | 'day';
  readonly buckets: readonly (ResponseTimeFigures & { readonly start: string })[];
  readonly overall: ResponseTimeFigures;
}

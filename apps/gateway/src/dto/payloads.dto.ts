import {
  SANCTION_ACTIONS,
  TICKET_KINDS,
  type PlayerReportPayload,
  type PlayerSessionPayload,
  type QueueWatchPayload,
  type ResumeRequest,
  type SanctionAckPayload,
  type SanctionAction,
  type ServerReportPayload,
  type TicketCreatePayload,
  type TicketKind,
  type TicketMessagePayload,
  type TicketRefPayload,
} from '@gmdesk/contracts';
import {
  AccountIdField,
  EnumField,
  IdempotencyKeyField,
  LANGUAGE_TAG,
  RealmIdField,
  ReportFieldsDto,
  TextField,
  TicketFieldsDto,
  TimestampField,
  UuidField,
} from '@gmdesk/dto';
import { IsInt, Max, Min } from 'class-validator';

/** Socket payloads: the REST intake DTOs plus what only sockets need; each implements its contract type. */
export class ResumeDto implements ResumeRequest {
  @TextField({ optional: true, max: 64 })
  epoch?: string;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  lastSeq!: number;
}

/** `report.create` from a player's own client. */
export class PlayerReportPayloadDto extends ReportFieldsDto implements PlayerReportPayload {
  @IdempotencyKeyField()
  idempotencyKey?: string;
}

/** `report.create` relayed by a game server for one of its players. */
export class ServerReportPayloadDto extends PlayerReportPayloadDto implements ServerReportPayload {
  @AccountIdField()
  reporterPlayerId!: string;
}

export class TicketCreatePayloadDto extends TicketFieldsDto implements TicketCreatePayload {
  @IdempotencyKeyField()
  idempotencyKey?: string;
}

export class TicketMessagePayloadDto implements TicketMessagePayload {
  @UuidField()
  ticketId!: string;

  @TextField({ max: 5000 })
  body!: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

export class TicketRefPayloadDto implements TicketRefPayload {
  @UuidField()
  ticketId!: string;
}

export class QueueWatchPayloadDto implements QueueWatchPayload {
  @RealmIdField({ optional: true })
  realmId?: string;

  @EnumField(TICKET_KINDS, { optional: true })
  kind?: TicketKind;

  @TextField({ optional: true, max: 40 })
  category?: string;
}

export class PlayerSessionPayloadDto implements PlayerSessionPayload {
  @AccountIdField()
  playerId!: string;

  @EnumField(['login', 'logout'] as const)
  state!: 'login' | 'logout';

  @TextField({ optional: true, max: 64 })
  displayName?: string;

  @TextField({ optional: true, max: 16, pattern: LANGUAGE_TAG })
  language?: string;

  @TimestampField({ optional: true, description: 'When the game created the account' })
  accountCreatedAt?: string;
}

export class SanctionAckPayloadDto implements SanctionAckPayload {
  @UuidField()
  sanctionId!: string;

  @EnumField(SANCTION_ACTIONS)
  action!: SanctionAction;
}

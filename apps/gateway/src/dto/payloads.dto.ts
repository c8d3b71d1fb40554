import {
  REPORT_CATEGORIES,
  SUPPORT_CATEGORIES,
  TICKET_KINDS,
  type ReportCategory,
  type ResumeRequest,
  type SupportCategory,
  type TicketKind,
} from '@gmdesk/contracts';
import {
  AccountIdField,
  EnumField,
  NestedField,
  NumberField,
  RealmIdField,
  TextField,
  TimestampField,
  UuidField,
} from '@gmdesk/dto';
import { IsInt, Max, Min } from 'class-validator';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export class ResumeDto implements ResumeRequest {
  @TextField({ optional: true, max: 64 })
  epoch?: string;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  lastSeq!: number;
}

export class LocationPayloadDto {
  @TextField({ max: 100 })
  zone!: string;

  @TextField({ optional: true, max: 100 })
  instance?: string;

  @NumberField({ optional: true, min: -1e9, max: 1e9 })
  x?: number;

  @NumberField({ optional: true, min: -1e9, max: 1e9 })
  y?: number;

  @NumberField({ optional: true, min: -1e9, max: 1e9 })
  z?: number;
}

/** `report.create` from a player's own client. */
export class PlayerReportPayloadDto {
  @AccountIdField()
  reportedPlayerId!: string;

  @EnumField(REPORT_CATEGORIES)
  category!: ReportCategory;

  @TextField({ max: 2000 })
  description!: string;

  @TimestampField()
  occurredAt!: string;

  @NestedField(() => LocationPayloadDto, { optional: true })
  location?: LocationPayloadDto;

  /** Sockets have no headers: a retry sends the same key in the payload. */
  @TextField({
    optional: true,
    max: 255,
    pattern: IDEMPOTENCY_KEY,
    patternMessage: 'must be 1-255 visible ASCII characters',
  })
  idempotencyKey?: string;
}

/** `report.create` relayed by a game server for one of its players. */
export class ServerReportPayloadDto extends PlayerReportPayloadDto {
  @AccountIdField()
  reporterPlayerId!: string;
}

export class TicketCreatePayloadDto {
  @EnumField(SUPPORT_CATEGORIES)
  category!: SupportCategory;

  @TextField({ max: 200 })
  subject!: string;

  @TextField({ max: 5000 })
  body!: string;

  @TextField({ optional: true, max: 16, pattern: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/ })
  language?: string;

  @TextField({
    optional: true,
    max: 255,
    pattern: IDEMPOTENCY_KEY,
    patternMessage: 'must be 1-255 visible ASCII characters',
  })
  idempotencyKey?: string;
}

export class TicketMessagePayloadDto {
  @UuidField()
  ticketId!: string;

  @TextField({ max: 5000 })
  body!: string;
}

export class TicketRefPayloadDto {
  @UuidField()
  ticketId!: string;
}

export class QueueWatchPayloadDto {
  @RealmIdField({ optional: true })
  realmId?: string;

  @EnumField(TICKET_KINDS, { optional: true })
  kind?: TicketKind;

  @TextField({ optional: true, max: 40 })
  category?: string;
}

export class PlayerSessionPayloadDto {
  @AccountIdField()
  playerId!: string;

  @EnumField(['login', 'logout'] as const)
  state!: 'login' | 'logout';

  @TextField({ optional: true, max: 64 })
  displayName?: string;

  @TextField({ optional: true, max: 16, pattern: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/ })
  language?: string;
}

import {
  MESSAGE_VISIBILITIES,
  REPORT_RESOLUTIONS,
  TICKET_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type MessageVisibility,
  type ReportResolution,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
} from '@gmdesk/contracts';
import type { PlayerMap, Principal, TicketEntity, TicketMessageEntity } from '@gmdesk/core';
import {
  AccountIdField,
  CursorField,
  EnumField,
  EnumListField,
  LimitField,
  RealmIdField,
  TextField,
  TextListField,
  TicketFieldsDto,
} from '@gmdesk/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID, ValidateIf } from 'class-validator';
import { playerRef, PlayerRefDto, ReportResponseDto } from '../../reports/dto/report.dto';

export class CreateTicketDto extends TicketFieldsDto {}

export class AddMessageDto {
  @TextField({ max: 5000, example: 'Teleported you to the inn. Safe travels!' })
  body!: string;

  @EnumField(MESSAGE_VISIBILITIES, {
    optional: true,
    description: 'Staff only. internal = a note players never see. Default public.',
  })
  visibility?: MessageVisibility;
}

export class AssignTicketDto {
  @ValidateIf((_object, value) => value !== null)
  @IsUUID('all')
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null unassigns' })
  assigneeId!: string | null;
}

export class ChangeStatusDto {
  @EnumField(TICKET_STATUSES)
  status!: TicketStatus;

  @EnumField(REPORT_RESOLUTIONS, {
    optional: true,
    description:
      'Moderation cases, with status solved or closed: resolve the open reports with this outcome ' +
      'instead of the default (upheld when a sanction was issued for the case, else rejected)',
  })
  reportOutcome?: ReportResolution;
}

export class UpdateTicketDto {
  @EnumField(TICKET_PRIORITIES, { optional: true, description: 'Overrides the computed priority' })
  priority?: TicketPriority;

  @TextListField({ optional: true, maxItems: 20, maxLength: 40, pattern: /^[a-z0-9][a-z0-9_-]*$/ })
  tags?: string[];
}

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',') : value;

export class ListTicketsQueryDto {
  @Transform(toList)
  @EnumListField(TICKET_STATUSES, {
    optional: true,
    max: 5,
    description: 'Comma separated, e.g. new,open',
  })
  status?: TicketStatus[];

  @EnumField(TICKET_KINDS, { optional: true })
  kind?: TicketKind;

  @TextField({ optional: true, max: 40, description: 'Support category or report category group' })
  category?: string;

  @RealmIdField({ optional: true })
  realmId?: string;

  @EnumField(TICKET_PRIORITIES, { optional: true })
  priority?: TicketPriority;

  @ValidateIf((_object, value) => value !== undefined && value !== 'none')
  @IsUUID('all', { message: 'assignee must be a staff id or "none"' })
  @ApiPropertyOptional({ type: String, description: 'A staff id, or "none" for unassigned' })
  assignee?: string;

  @AccountIdField({
    optional: true,
    description:
      "Staff only, with realmId: tickets this player opened (the requester's account id)",
  })
  requesterAccountId?: string;

  @EnumField(['queue', 'newest'] as const, {
    optional: true,
    description: 'queue: most urgent, then oldest first (default)',
  })
  sort?: 'queue' | 'newest';

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class TicketMessageResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['player', 'staff', 'system'] }) authorType!: string;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Staff only: the staff author',
  })
  authorStaffId?: string | null;
  @ApiProperty({ type: PlayerRefDto, nullable: true, description: 'The player author' })
  authorPlayer!: PlayerRefDto | null;
  @ApiProperty({ enum: MESSAGE_VISIBILITIES }) visibility!: MessageVisibility;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TicketResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() realmId!: string;
  @ApiProperty({ enum: TICKET_KINDS }) kind!: TicketKind;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: TicketStatus;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: TicketPriority;
  @ApiProperty() category!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: PlayerRefDto, nullable: true }) requester!: PlayerRefDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({
    type: PlayerRefDto,
    nullable: true,
    description: 'Staff only: the reported player of a case',
  })
  subjectPlayer?: PlayerRefDto | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) assigneeId?: string | null;
  @ApiPropertyOptional() priorityOverridden?: boolean;
  @ApiPropertyOptional({ type: [String] }) tags?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Automated flags, e.g. possible_brigading' })
  flags?: string[];
  @ApiPropertyOptional({ description: 'Cases: credibility-weighted sum of distinct reporters' })
  score?: number;
  @ApiPropertyOptional({ type: 'integer' }) reportCount?: number;
  @ApiPropertyOptional({ type: 'integer' }) reporterCount?: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) firstResponseDueAt?:
    string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) resolutionDueAt?:
    string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) firstRespondedAt?:
    string | null;
}

export class TicketDetailResponseDto extends TicketResponseDto {
  @ApiProperty({
    type: [TicketMessageResponseDto],
    description: 'Players never see internal notes',
  })
  messages!: TicketMessageResponseDto[];

  @ApiPropertyOptional({
    type: [ReportResponseDto],
    description: 'Staff only: reports attached to a case',
  })
  reports?: ReportResponseDto[];
}

export class TicketPageDto {
  @ApiProperty({ type: [TicketResponseDto] }) items!: TicketResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/** Players get the fields about their own request; staff get the queue fields too. */
// Plain object literals, never `{ ...base, ...more }`: V8 copies a spread of this many properties
// through a slow runtime path, which made mapping a queue page cost more than its query.
export function toTicketResponse(
  ticket: TicketEntity,
  players: PlayerMap,
  viewer: Principal,
): TicketResponseDto {
  if (viewer.kind !== 'staff') {
    return {
      id: ticket.id,
      realmId: ticket.realmId,
      kind: ticket.kind,
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      subject: ticket.subject,
      requester: playerRef(players, ticket.requesterPlayerId),
      createdAt: ticket.createdAt.toISOString(),
      updatedAt: ticket.updatedAt.toISOString(),
    };
  }
  return {
    id: ticket.id,
    realmId: ticket.realmId,
    kind: ticket.kind,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    subject: ticket.subject,
    requester: playerRef(players, ticket.requesterPlayerId),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    subjectPlayer: playerRef(players, ticket.subjectPlayerId),
    assigneeId: ticket.assigneeStaffId,
    priorityOverridden: ticket.priorityOverridden,
    tags: ticket.tags,
    flags: ticket.flags,
    score: ticket.score,
    reportCount: ticket.reportCount,
    reporterCount: ticket.reporterCount,
    firstResponseDueAt: iso(ticket.firstResponseDueAt),
    resolutionDueAt: iso(ticket.resolutionDueAt),
    firstRespondedAt: iso(ticket.firstRespondedAt),
  };
}

export function toMessageResponse(
  message: TicketMessageEntity,
  players: PlayerMap,
  viewer: Principal,
): TicketMessageResponseDto {
  const response: TicketMessageResponseDto = {
    id: message.id,
    authorType: message.authorType,
    authorPlayer: playerRef(players, message.authorPlayerId),
    visibility: message.visibility,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
  };
  if (viewer.kind === 'staff') {
    response.authorStaffId = message.authorStaffId;
  }
  return response;
}

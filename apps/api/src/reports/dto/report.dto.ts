import {
  REPORT_CATEGORIES,
  REPORT_STATUSES,
  type ReportCategory,
  type ReportStatus,
} from '@gmdesk/contracts';
import type { PlayerMap, Principal, ReportEntity } from '@gmdesk/core';
import {
  AccountIdField,
  CursorField,
  EnumField,
  LimitField,
  RealmIdField,
  ReportFieldsDto,
  ReportLocationDto,
  UuidField,
} from '@gmdesk/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export { ReportLocationDto };

export class CreateReportDto extends ReportFieldsDto {
  @AccountIdField({ optional: true, description: 'Game servers only: the player who reports' })
  reporterPlayerId?: string;

  @RealmIdField({ optional: true, description: "Optional; must be the caller's realm" })
  realmId?: string;
}

export class ListReportsQueryDto {
  @EnumField(REPORT_STATUSES, { optional: true })
  status?: ReportStatus;

  @EnumField(REPORT_CATEGORIES, { optional: true })
  category?: ReportCategory;

  @RealmIdField({ optional: true })
  realmId?: string;

  @UuidField({ optional: true, description: 'Staff only: reports attached to this case' })
  ticketId?: string;

  @AccountIdField({
    optional: true,
    description: 'Staff only, with realmId: reports against this player',
  })
  reportedPlayerId?: string;

  @AccountIdField({
    optional: true,
    description: "Staff only, with realmId: reports this player filed (the reporter's account id)",
  })
  reporterAccountId?: string;

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class PlayerRefDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ nullable: true, type: String }) displayName!: string | null;
}

export class ReportResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() realmId!: string;
  @ApiProperty({ type: PlayerRefDto }) reporter!: PlayerRefDto;
  @ApiProperty({ type: PlayerRefDto }) reported!: PlayerRefDto;
  @ApiProperty({ enum: REPORT_CATEGORIES }) category!: ReportCategory;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: ReportLocationDto, nullable: true }) location!: ReportLocationDto | null;
  @ApiProperty({
    enum: REPORT_STATUSES,
    description:
      'open until its case is solved or closed; then upheld (action was taken) or rejected',
  })
  status!: ReportStatus;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the report was resolved (its case solved or closed); null while open',
  })
  resolvedAt!: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'How often the reporter repeated this report while it was open',
  })
  repeatCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Staff only: the case this report joined' })
  ticketId?: string;
  @ApiPropertyOptional({ description: 'Staff only: reporter credibility when filed' })
  reporterWeight?: number;
}

export class FiledReportResponseDto extends ReportResponseDto {
  @ApiProperty({
    enum: ['created', 'merged'],
    description: 'merged: you already had this report open; it was counted as a repeat (HTTP 200)',
  })
  outcome!: 'created' | 'merged';
}

export class ReportPageDto {
  @ApiProperty({ type: [ReportResponseDto] }) items!: ReportResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export function playerRef(players: PlayerMap, id: string | null): PlayerRefDto | null {
  const player = id ? players.get(id) : undefined;
  return player ? { accountId: player.accountId, displayName: player.displayName } : null;
}

export function toReportResponse(
  report: ReportEntity,
  players: PlayerMap,
  viewer: Principal,
): ReportResponseDto {
  const unknown = { accountId: '(unknown)', displayName: null };
  const response: ReportResponseDto = {
    id: report.id,
    realmId: report.realmId,
    reporter: playerRef(players, report.reporterPlayerId) ?? unknown,
    reported: playerRef(players, report.reportedPlayerId) ?? unknown,
    category: report.category,
    description: report.description,
    occurredAt: report.occurredAt.toISOString(),
    location: report.location,
    status: report.status,
    resolvedAt: report.resolvedAt?.toISOString() ?? null,
    repeatCount: report.repeatCount,
    createdAt: report.createdAt.toISOString(),
  };
  if (viewer.kind === 'staff') {
    response.ticketId = report.ticketId;
    response.reporterWeight = report.reporterWeight;
  }
  return response;
}

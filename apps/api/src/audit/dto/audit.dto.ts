import type { AuditEntryEntity } from '@gmdesk/core';
import { CursorField, LimitField, TextField } from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';

export class ListAuditQueryDto {
  @TextField({ optional: true, max: 40, example: 'ticket' })
  targetType?: string;

  @TextField({ optional: true, max: 100 })
  targetId?: string;

  @TextField({ optional: true, max: 100, description: 'Staff id of the actor' })
  actorId?: string;

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class AuditEntryResponseDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ example: 'staff', description: 'staff, player or game_server' })
  actorType!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty({ example: 'ticket.assign' }) action!: string;
  @ApiProperty() targetType!: string;
  @ApiProperty() targetId!: string;
  @ApiProperty({ nullable: true, type: String }) realmId!: string | null;
  @ApiProperty({ nullable: true, type: Object }) before!: object | null;
  @ApiProperty({ nullable: true, type: Object }) after!: object | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The X-Request-Id of the request that made the change',
  })
  requestId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryResponseDto] }) items!: AuditEntryResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export function toAuditResponse(entry: AuditEntryEntity): AuditEntryResponseDto {
  return {
    id: entry.id,
    actorType: entry.actorType,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    realmId: entry.realmId,
    before: entry.before,
    after: entry.after,
    requestId: entry.requestId,
    at: entry.at.toISOString(),
  };
}

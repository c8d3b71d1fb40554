import type { AuditEntryEntity, StaffPrincipal } from '@gmdesk/core';
import { AuditService } from '@gmdesk/core';
import { CursorField, LimitField, TextField } from '@gmdesk/dto';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';

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
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'staff' }) actorType!: string;
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
    description: 'The X-Request-Id of the request that made the change (null for jobs).',
  })
  requestId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryResponseDto] }) items!: AuditEntryResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

function toAuditResponse(entry: AuditEntryEntity): AuditEntryResponseDto {
  return { ...entry, at: entry.at.toISOString() };
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('admin')
  @ApiOperation({ summary: 'The append-only audit log, newest first' })
  async list(
    @Caller() caller: StaffPrincipal,
    @Query() query: ListAuditQueryDto,
  ): Promise<AuditPageDto> {
    const page = await this.audit.list(caller, query);
    return { items: page.items.map(toAuditResponse), nextCursor: page.nextCursor };
  }
}

import type { StaffPrincipal } from '@gmdesk/core';
import { AuditService } from '@gmdesk/core';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import { AuditPageDto, ListAuditQueryDto, toAuditResponse } from './dto/audit.dto';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('admin')
  @ApiOperation({ summary: 'The append-only audit log, newest first' })
  @ApiResult(AuditPageDto)
  async list(
    @Caller() caller: StaffPrincipal,
    @Query() query: ListAuditQueryDto,
  ): Promise<AuditPageDto> {
    const page = await this.audit.list(caller, query);
    return { items: page.items.map(toAuditResponse), nextCursor: page.nextCursor };
  }
}

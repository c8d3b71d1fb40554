import { EvidenceService, ReportErrorCode, type StaffPrincipal } from '@gmdesk/core';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { ApiResult } from '../http/openapi';

class EvidenceLineDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  serverId!: string;

  @ApiProperty()
  channel!: string;

  @ApiProperty()
  sender!: string;

  @ApiProperty({ type: String, nullable: true })
  recipient!: string | null;

  @ApiProperty({ description: 'As said in game: render as text, never as markup' })
  body!: string;

  @ApiProperty({ format: 'date-time' })
  sentAt!: string;
}

class ReportEvidenceDto {
  @ApiProperty({ enum: ['pending', 'captured'] })
  status!: 'pending' | 'captured';

  @ApiPropertyOptional({ format: 'date-time', description: 'pending: when it will be taken' })
  dueAt?: string;

  @ApiPropertyOptional({
    description: 'captured: the stored SHA-256 matches the stored content (nobody edited it)',
  })
  verified?: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  windowFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  windowTo?: string;

  @ApiPropertyOptional({ description: 'The report’s location, as filed' })
  location?: object | null;

  @ApiPropertyOptional({ type: [EvidenceLineDto], description: 'Oldest first' })
  lines?: EvidenceLineDto[];

  @ApiPropertyOptional()
  sha256?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  capturedAt?: string;
}

@ApiTags('reports')
@Controller('reports')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get(':id/evidence')
  @Allow('agent')
  @ApiOperation({
    summary:
      'The chat evidence of a report: the lines around the incident, copied by the server and hashed (audited)',
  })
  @ApiResult(ReportEvidenceDto, { errors: [ReportErrorCode.ReportNotFound] })
  async get(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
  ): Promise<ReportEvidenceDto> {
    const view = await this.evidence.forStaff(caller, params.id);
    if (view.status === 'pending') {
      return { status: 'pending', dueAt: view.dueAt.toISOString() };
    }
    const { evidence } = view;
    return {
      status: 'captured',
      verified: view.verified,
      windowFrom: evidence.windowFrom.toISOString(),
      windowTo: evidence.windowTo.toISOString(),
      location: (evidence.location as object | null) ?? null,
      lines: evidence.lines,
      sha256: evidence.sha256,
      capturedAt: evidence.capturedAt.toISOString(),
    };
  }
}

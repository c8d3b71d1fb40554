import type { GameServerPrincipal, PlayerPrincipal, Principal, StaffPrincipal } from '@gmdesk/core';
import { ReportErrorCode, ReportsService } from '@gmdesk/core';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { ApiIdempotencyKey, ApiResult } from '../http/openapi';
import {
  CreateReportDto,
  FiledReportResponseDto,
  ListReportsQueryDto,
  ReportPageDto,
  ReportResponseDto,
  toReportResponse,
} from './dto/report.dto';

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @Allow('player', 'game_server')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'File a report (a player, or a game server for one of its players)',
    description:
      '201 when created; 200 with outcome "merged" when the reporter already had it open.',
  })
  @ApiResult(FiledReportResponseDto, {
    description: 'Filed: a new report (outcome "created")',
    otherStatuses: {
      200: 'The reporter already had this report open: counted as a repeat (outcome "merged")',
    },
    errors: [
      ReportErrorCode.RealmForbidden,
      ReportErrorCode.SelfReport,
      ReportErrorCode.ReportBanned,
      'report_rate_limited',
      'report_cooldown',
    ],
  })
  async create(
    @Caller() caller: PlayerPrincipal | GameServerPrincipal,
    @Body() body: CreateReportDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FiledReportResponseDto> {
    const filed = await this.reports.file(
      caller,
      {
        reportedAccountId: body.reportedPlayerId,
        reporterAccountId: body.reporterPlayerId,
        realmId: body.realmId,
        category: body.category,
        description: body.description,
        occurredAt: new Date(body.occurredAt),
        location: body.location,
      },
      idempotencyKey,
    );
    response.status(filed.outcome === 'created' ? 201 : 200);
    if (filed.replayed) {
      response.setHeader('Idempotent-Replayed', 'true');
    }
    return { ...toReportResponse(filed.report, filed.players, caller), outcome: filed.outcome };
  }

  @Get()
  @Allow('player', 'agent')
  @ApiOperation({
    summary: 'Reports: a player sees the ones they filed; staff filter all of their realms',
  })
  @ApiResult(ReportPageDto)
  async list(
    @Caller() caller: PlayerPrincipal | StaffPrincipal,
    @Query() query: ListReportsQueryDto,
  ): Promise<ReportPageDto> {
    const { page, players } = await this.reports.list(caller, {
      ...query,
      reportedAccountId: query.reportedPlayerId,
    });
    return {
      items: page.items.map((report) => toReportResponse(report, players, caller)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Allow('player', 'game_server', 'agent')
  @ApiOperation({ summary: 'One report (only your own, unless staff)' })
  @ApiResult(ReportResponseDto, { errors: [ReportErrorCode.ReportNotFound] })
  async get(@Caller() caller: Principal, @Param() params: IdParams): Promise<ReportResponseDto> {
    const { report, players } = await this.reports.getVisible(caller, params.id);
    return toReportResponse(report, players, caller);
  }
}

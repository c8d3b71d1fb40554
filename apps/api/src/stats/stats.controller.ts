import type { StaffPrincipal } from '@gmdesk/core';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import {
  BacklogResponseDto,
  IntakeQueryDto,
  IntakeResponseDto,
  ResponseTimesQueryDto,
  ResponseTimesResponseDto,
  StatsQueryDto,
  toBacklogResponse,
  toIntakeResponse,
  toResponseTimesResponse,
} from './dto/stats.dto';
import { StatsService } from './stats.service';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('backlog')
  @Allow('agent')
  @ApiOperation({
    summary: 'Open items by kind and priority, and the oldest waiting item of each kind',
  })
  @ApiResult(BacklogResponseDto)
  async backlog(
    @Caller() caller: StaffPrincipal,
    @Query() query: StatsQueryDto,
  ): Promise<BacklogResponseDto> {
    return toBacklogResponse(await this.stats.backlog(caller, query));
  }

  @Get('intake')
  @Allow('agent')
  @ApiOperation({ summary: 'Reports filed, support tickets and cases opened, per UTC hour' })
  @ApiResult(IntakeResponseDto)
  async intake(
    @Caller() caller: StaffPrincipal,
    @Query() query: IntakeQueryDto,
  ): Promise<IntakeResponseDto> {
    return toIntakeResponse(await this.stats.intake(caller, query));
  }

  @Get('response-times')
  @Allow('agent')
  @ApiOperation({
    summary: 'Time to the first public staff reply on support tickets: p50/p90 per hour or day',
  })
  @ApiResult(ResponseTimesResponseDto)
  async responseTimes(
    @Caller() caller: StaffPrincipal,
    @Query() query: ResponseTimesQueryDto,
  ): Promise<ResponseTimesResponseDto> {
    return toResponseTimesResponse(await this.stats.responseTimes(caller, query));
  }
}

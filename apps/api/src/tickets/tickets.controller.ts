import type { PlayerPrincipal, StaffPrincipal } from '@gmdesk/core';
import { TicketErrorCode, TicketViewService } from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { ApiIdempotencyKey, ApiResult } from '../http/openapi';
import { toReportResponse } from '../reports/dto/report.dto';
import {
  AddMessageDto,
  AssignTicketDto,
  ChangeStatusDto,
  CreateTicketDto,
  ListTicketsQueryDto,
  TicketDetailResponseDto,
  TicketMessageResponseDto,
  TicketPageDto,
  TicketResponseDto,
  toMessageResponse,
  toTicketResponse,
  UpdateTicketDto,
} from './dto/ticket.dto';

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly views: TicketViewService) {}

  @Post()
  @Allow('player')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'A player opens a support ticket' })
  @ApiResult(TicketResponseDto)
  async create(
    @Caller() caller: PlayerPrincipal,
    @Body() body: CreateTicketDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketResponseDto> {
    const { ticket, players, replayed } = await this.views.openSupportTicket(
      caller,
      body,
      idempotencyKey,
    );
    if (replayed) {
      response.setHeader('Idempotent-Replayed', 'true');
    }
    return toTicketResponse(ticket, players, caller);
  }

  @Get()
  @Allow('player', 'agent')
  @ApiOperation({
    summary: 'Tickets: a player sees their own; staff filter the queue (cursor pagination)',
  })
  @ApiResult(TicketPageDto)
  async list(
    @Caller() caller: PlayerPrincipal | StaffPrincipal,
    @Query() query: ListTicketsQueryDto,
  ): Promise<TicketPageDto> {
    const { page, players } = await this.views.list(caller, { ...query, statuses: query.status });
    return {
      items: page.items.map((ticket) => toTicketResponse(ticket, players, caller)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Allow('player', 'agent')
  @ApiOperation({ summary: 'One ticket with its messages (and, for staff, the reports of a case)' })
  @ApiResult(TicketDetailResponseDto, { errors: [TicketErrorCode.TicketNotFound] })
  async get(
    @Caller() caller: PlayerPrincipal | StaffPrincipal,
    @Param() params: IdParams,
  ): Promise<TicketDetailResponseDto> {
    const { ticket, messages, reports, players } = await this.views.detail(caller, params.id);
    return {
      ...toTicketResponse(ticket, players, caller),
      messages: messages.map((message) => toMessageResponse(message, players, caller)),
      ...(caller.kind === 'staff' && {
        reports: reports.map((report) => toReportResponse(report, players, caller)),
      }),
    };
  }

  @Post(':id/messages')
  @Allow('player', 'agent')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Write in a ticket: players and staff reply publicly; staff may add internal notes',
  })
  @ApiResult(TicketMessageResponseDto, {
    errors: [TicketErrorCode.TicketNotFound, TicketErrorCode.TicketClosed],
  })
  async addMessage(
    @Caller() caller: PlayerPrincipal | StaffPrincipal,
    @Param() params: IdParams,
    @Body() body: AddMessageDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TicketMessageResponseDto> {
    const { message, players, replayed } = await this.views.addMessage(
      caller,
      params.id,
      body,
      idempotencyKey,
    );
    if (replayed) {
      response.setHeader('Idempotent-Replayed', 'true');
    }
    return toMessageResponse(message, players, caller);
  }

  @Post(':id/assign')
  @Allow('agent')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member (null unassigns)' })
  @ApiResult(TicketResponseDto, {
    errors: [TicketErrorCode.TicketNotFound, TicketErrorCode.AssigneeNotFound],
  })
  async assign(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
    @Body() body: AssignTicketDto,
  ): Promise<TicketResponseDto> {
    const { ticket, players } = await this.views.assign(caller, params.id, body.assigneeId);
    return toTicketResponse(ticket, players, caller);
  }

  @Post(':id/status')
  @Allow('agent')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move along new → open → pending → solved → closed (409 when not allowed)',
    description:
      "Solving or closing a moderation case resolves its open reports: upheld when a sanction was issued for the case, else rejected, or as `reportOutcome` says; each reporter's credibility moves accordingly.",
  })
  @ApiResult(TicketResponseDto, {
    errors: [TicketErrorCode.TicketNotFound, TicketErrorCode.InvalidTransition],
  })
  async changeStatus(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
    @Body() body: ChangeStatusDto,
  ): Promise<TicketResponseDto> {
    const { ticket, players } = await this.views.changeStatus(
      caller,
      params.id,
      body.status,
      body.reportOutcome,
    );
    return toTicketResponse(ticket, players, caller);
  }

  @Patch(':id')
  @Allow('agent')
  @ApiOperation({ summary: 'Override priority, set tags' })
  @ApiResult(TicketResponseDto, { errors: [TicketErrorCode.TicketNotFound] })
  async update(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
    @Body() body: UpdateTicketDto,
  ): Promise<TicketResponseDto> {
    const { ticket, players } = await this.views.update(caller, params.id, body);
    return toTicketResponse(ticket, players, caller);
  }
}

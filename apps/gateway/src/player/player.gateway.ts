import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import {
  Allow,
  AuthService,
  ReportsService,
  StaffService,
  TicketViewService,
  type PlayerPrincipal,
} from '@gmdesk/core';
import { createValidationPipe } from '@gmdesk/dto';
import { Inject, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { StreamDispatcher } from '../delivery/stream-dispatcher';
import { reportFiledAck } from '../dto/acks';
import {
  PlayerReportPayloadDto,
  TicketCreatePayloadDto,
  TicketMessagePayloadDto,
} from '../dto/payloads.dto';
import { NamespaceGateway } from '../socket/namespace-gateway';
import { SessionRegistry } from '../socket/session-registry';
import { SocketPolicyGuard } from '../socket/socket-policy.guard';
import { SocketRateLimitInterceptor } from '../socket/socket-rate-limit.interceptor';
import type { GatewaySocket } from '../socket/socket-session';
import { WsAckFilter } from '../socket/ws-ack.filter';

/** In-game clients: file reports, open and answer tickets, receive GM replies live or on resume. */
@WebSocketGateway({ namespace: '/player' })
@UseFilters(WsAckFilter)
@UseGuards(SocketPolicyGuard)
@Allow('player')
@UsePipes(createValidationPipe())
@UseInterceptors(SocketRateLimitInterceptor)
export class PlayerGateway extends NamespaceGateway {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    auth: AuthService,
    staff: StaffService,
    dispatcher: StreamDispatcher,
    sessions: SessionRegistry,
    private readonly reports: ReportsService,
    private readonly tickets: TicketViewService,
  ) {
    super('player', { config, auth, staff, dispatcher, sessions });
  }

  @SubscribeMessage('report.create')
  async createReport(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: PlayerReportPayloadDto,
  ) {
    const { idempotencyKey, reportedPlayerId, occurredAt, ...rest } = body;
    const filed = await this.reports.file(
      player(socket),
      { ...rest, reportedAccountId: reportedPlayerId, occurredAt: new Date(occurredAt) },
      idempotencyKey,
    );
    return reportFiledAck(filed);
  }

  @SubscribeMessage('ticket.create')
  async createTicket(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: TicketCreatePayloadDto,
  ) {
    const { idempotencyKey, ...input } = body;
    const { ticket } = await this.tickets.openSupportTicket(player(socket), input, idempotencyKey);
    return {
      ok: true,
      ticket: {
        id: ticket.id,
        status: ticket.status,
        subject: ticket.subject,
        createdAt: ticket.createdAt.toISOString(),
      },
    } as const;
  }

  @SubscribeMessage('ticket.message')
  async addMessage(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: TicketMessagePayloadDto,
  ) {
    const { message } = await this.tickets.addMessage(
      player(socket),
      body.ticketId,
      { body: body.body },
      body.idempotencyKey,
    );
    return {
      ok: true,
      message: { id: message.id, createdAt: message.createdAt.toISOString() },
    } as const;
  }
}

function player(socket: GatewaySocket): PlayerPrincipal {
  return socket.data.principal as PlayerPrincipal;
}

import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import type { ResumeAck } from '@gmdesk/contracts';
import {
  Allow,
  AuthService,
  PlayersService,
  ReportsService,
  SanctionsService,
  StaffService,
  type GameServerPrincipal,
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
  PlayerSessionPayloadDto,
  ResumeDto,
  SanctionAckPayloadDto,
  ServerReportPayloadDto,
} from '../dto/payloads.dto';
import { NamespaceGateway } from '../socket/namespace-gateway';
import { SessionRegistry } from '../socket/session-registry';
import { SocketPolicyGuard } from '../socket/socket-policy.guard';
import { SocketRateLimitInterceptor } from '../socket/socket-rate-limit.interceptor';
import type { GatewaySocket } from '../socket/socket-session';
import { WsAckFilter } from '../socket/ws-ack.filter';

/** Game servers: tell who is online where, relay reports, receive what to show or enforce in-game. */
@WebSocketGateway({ namespace: '/game' })
@UseFilters(WsAckFilter)
@UseGuards(SocketPolicyGuard)
@Allow('game_server')
@UsePipes(createValidationPipe())
@UseInterceptors(SocketRateLimitInterceptor)
export class GameGateway extends NamespaceGateway {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    auth: AuthService,
    staff: StaffService,
    dispatcher: StreamDispatcher,
    sessions: SessionRegistry,
    private readonly reports: ReportsService,
    private readonly players: PlayersService,
    private readonly sanctions: SanctionsService,
  ) {
    super('game', { config, auth, staff, dispatcher, sessions });
  }

  @SubscribeMessage('resume')
  override async resume(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: ResumeDto,
  ): Promise<ResumeAck> {
    const ack = await this.deps.dispatcher.resume(socket, body);
    // Sanctions the server had received before this connection but never acknowledged come again
    // (ones after its lastSeq are in the replay it just got). After a re-sync, all of them.
    await this.sanctions.redeliverUnacknowledged(
      server(socket),
      ack.resync ? ack.lastSeq : body.lastSeq,
    );
    return ack;
  }

  @SubscribeMessage('sanction.ack')
  async acknowledgeSanction(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: SanctionAckPayloadDto,
  ) {
    await this.sanctions.acknowledge(server(socket), body.sanctionId, body.action);
    return { ok: true, acknowledged: true } as const;
  }

  @SubscribeMessage('player.session')
  async playerSession(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: PlayerSessionPayloadDto,
  ) {
    const player = await this.players.recordSession(server(socket), body.playerId, body.state, {
      displayName: body.displayName,
      language: body.language,
      accountCreatedAt:
        body.accountCreatedAt === undefined ? undefined : new Date(body.accountCreatedAt),
    });
    return {
      ok: true,
      player: { accountId: player.accountId, online: body.state === 'login' },
    } as const;
  }

  @SubscribeMessage('report.create')
  async createReport(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: ServerReportPayloadDto,
  ) {
    const { idempotencyKey, reportedPlayerId, reporterPlayerId, occurredAt, ...rest } = body;
    const filed = await this.reports.file(
      server(socket),
      {
        ...rest,
        reportedAccountId: reportedPlayerId,
        reporterAccountId: reporterPlayerId,
        occurredAt: new Date(occurredAt),
      },
      idempotencyKey,
    );
    return reportFiledAck(filed);
  }
}

function server(socket: GatewaySocket): GameServerPrincipal {
  return socket.data.principal as GameServerPrincipal;
}

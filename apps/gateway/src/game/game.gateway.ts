import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import type { ResumeAck } from '@gmdesk/contracts';
import {
  Allow,
  AuthService,
  ChatService,
  PlayersService,
  RateLimitedError,
  ReportsService,
  SanctionsService,
  StaffService,
  type GameServerPrincipal,
} from '@gmdesk/core';
import { ChatBatchDto, createValidationPipe } from '@gmdesk/dto';
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
    private readonly chat: ChatService,
  ) {
    super('game', { config, auth, staff, dispatcher, sessions });
  }

  @SubscribeMessage('resume')
  override async resume(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: ResumeDto,
  ): Promise<ResumeAck> {
    const ack = await this.deps.dispatcher.resume(socket, body);
    // After the replay, so these arrive live: on the server's first connection the realm's active
    // sanctions it never got; then what it had received before but never acknowledged (ones after
    // its lastSeq were in the replay; after a re-sync, all of them). Appended before the ack is
    // sent, so they come before any event committed after it.
    await this.sanctions.resumeDelivery(server(socket), ack.resync ? ack.lastSeq : body.lastSeq);
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

  /**
   * Acknowledged once the lines are committed. A connection may have CHAT_BATCHES_IN_FLIGHT batches
   * unacknowledged; one more is refused at once with `retryAfterMs` (nothing stored), so a server
   * streaming faster than PostgreSQL writes is slowed down instead of growing our memory.
   */
  @SubscribeMessage('chat.batch')
  async chatBatch(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: ChatBatchDto) {
    const inFlight = socket.data.chatBatchesInFlight ?? 0;
    if (inFlight >= this.deps.config.chat.batchesInFlight) {
      throw new RateLimitedError(
        'chat_batches_in_flight',
        `At most ${this.deps.config.chat.batchesInFlight} chat batches may wait for their ack; send this one again after an ack.`,
        1,
      );
    }
    socket.data.chatBatchesInFlight = inFlight + 1;
    try {
      return {
        ok: true,
        ...(await this.chat.ingest(server(socket), body.batchId, body.lines)),
      } as const;
    } finally {
      socket.data.chatBatchesInFlight = (socket.data.chatBatchesInFlight ?? 1) - 1;
    }
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

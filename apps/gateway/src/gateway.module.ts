import {
  AuthModule,
  CaseworkModule,
  ChatModule,
  PlayersModule,
  RealmsModule,
  ReportsModule,
  SanctionsModule,
  StaffModule,
  TicketsModule,
} from '@gmdesk/core';
import { DeliveryModule } from '@gmdesk/delivery';
import { Module } from '@nestjs/common';
import { DeliveryWiring } from './delivery/delivery-wiring.service';
import { StreamDispatcher } from './delivery/stream-dispatcher';
import { GameGateway } from './game/game.gateway';
import { PlayerGateway } from './player/player.gateway';
import { SessionRegistry } from './socket/session-registry';
import { StaffGateway } from './staff/staff.gateway';

/**
 * The socket.io gateway: /game, /player and /staff with durable, resumable delivery. Needs
 * RuntimeModule from its host, and `configureGateway(app, config)` before listen.
 */
@Module({
  imports: [
    AuthModule,
    CaseworkModule,
    ChatModule,
    DeliveryModule,
    PlayersModule,
    RealmsModule,
    ReportsModule,
    SanctionsModule,
    StaffModule,
    TicketsModule,
  ],
  providers: [
    StreamDispatcher,
    SessionRegistry,
    DeliveryWiring,
    PlayerGateway,
    StaffGateway,
    GameGateway,
  ],
})
export class GatewayModule {}

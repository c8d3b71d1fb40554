import {
  AuditModule,
  AuthModule,
  CaseworkModule,
  ChatModule,
  PlayersModule,
  RealmsModule,
  ReportsModule,
  SanctionsModule,
  SetupModule,
  StaffModule,
} from '@gmdesk/core';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { ChatController } from './chat/chat.controller';
import { EvidenceController } from './chat/evidence.controller';
import { ConsoleModule } from './console/console.module';
import { HealthController } from './health/health.controller';
import { AuthGuard } from './http/auth.guard';
import { HttpErrorFilter } from './http/error.filter';
import { RateLimitGuard } from './http/rate-limit/rate-limit.guard';
import { PlayerSearchController } from './players/player-search.controller';
import { PlayersController } from './players/players.controller';
import { RealmsController } from './realms/realms.controller';
import { ReportsController } from './reports/reports.controller';
import { SanctionsController } from './sanctions/sanctions.controller';
import { StaffController } from './staff/staff.controller';
import { StatsModule } from './stats/stats.module';
import { TicketsController } from './tickets/tickets.controller';

/**
 * The REST api. Needs RuntimeModule (config, database, logging) from whoever hosts it:
 * `apps/api/src/main.ts` alone, or `apps/platform` together with the gateway and worker.
 */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    CaseworkModule,
    ChatModule,
    ConsoleModule,
    PlayersModule,
    RealmsModule,
    ReportsModule,
    SanctionsModule,
    SetupModule,
    StaffModule,
    StatsModule,
    TerminusModule,
  ],
  controllers: [
    AuditController,
    AuthController,
    ChatController,
    EvidenceController,
    HealthController,
    PlayersController,
    PlayerSearchController,
    RealmsController,
    ReportsController,
    SanctionsController,
    StaffController,
    TicketsController,
  ],
  providers: [
    // Guards run in this order: who is calling, then how often.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class ApiModule {}

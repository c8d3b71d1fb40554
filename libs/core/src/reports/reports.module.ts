import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PlayersModule } from '../players/players.module';
import { SanctionsModule } from '../sanctions/sanctions.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [
    AuditModule,
    IdempotencyModule,
    NotificationsModule,
    PlayersModule,
    SanctionsModule,
    TicketsModule,
  ],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}

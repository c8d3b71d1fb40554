import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PlayersModule } from '../players/players.module';
import { StaffModule } from '../staff/staff.module';
import { CasesService } from './cases.service';
import { TicketNotifier } from './ticket-notifier';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [AuditModule, IdempotencyModule, NotificationsModule, PlayersModule, StaffModule],
  providers: [TicketsRepository, TicketsService, CasesService, TicketNotifier],
  exports: [TicketsService, CasesService],
})
export class TicketsModule {}

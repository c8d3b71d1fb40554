import { Module } from '@nestjs/common';
import { PlayersModule } from '../players/players.module';
import { ReportsModule } from '../reports/reports.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketViewService } from './ticket-view.service';

@Module({
  imports: [PlayersModule, ReportsModule, TicketsModule],
  providers: [TicketViewService],
  exports: [TicketViewService],
})
export class CaseworkModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PlayersRepository } from './players.repository';
import { PlayersService } from './players.service';

@Module({
  imports: [AuditModule],
  providers: [PlayersRepository, PlayersService],
  exports: [PlayersService],
})
export class PlayersModule {}

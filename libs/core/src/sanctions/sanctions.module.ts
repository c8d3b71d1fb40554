import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PlayersModule } from '../players/players.module';
import { RealmsModule } from '../realms/realms.module';
import { SanctionsRepository } from './sanctions.repository';
import { SanctionsService } from './sanctions.service';

@Module({
  imports: [AuditModule, IdempotencyModule, NotificationsModule, PlayersModule, RealmsModule],
  providers: [SanctionsRepository, SanctionsService],
  exports: [SanctionsService],
})
export class SanctionsModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RealmsRepository } from './realms.repository';
import { RealmsService } from './realms.service';

@Module({
  imports: [AuditModule, NotificationsModule],
  providers: [RealmsRepository, RealmsService],
  exports: [RealmsService],
})
export class RealmsModule {}

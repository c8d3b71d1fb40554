import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Module({
  imports: [AuditModule, NotificationsModule],
  providers: [StaffRepository, StaffService],
  exports: [StaffService],
})
export class StaffModule {}

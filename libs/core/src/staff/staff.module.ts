import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Module({
  imports: [AuditModule],
  providers: [StaffRepository, StaffService],
  exports: [StaffService],
})
export class StaffModule {}

import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RealmsRepository } from './realms.repository';
import { RealmsService } from './realms.service';

@Module({
  imports: [AuditModule],
  providers: [RealmsRepository, RealmsService],
  exports: [RealmsService],
})
export class RealmsModule {}

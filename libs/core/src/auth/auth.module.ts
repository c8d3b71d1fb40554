import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RealmsModule } from '../realms/realms.module';
import { SetupModule } from '../setup/setup.module';
import { StaffModule } from '../staff/staff.module';
import { AuthService } from './auth.service';
import { LoginFailuresRepository } from './login-failures.repository';

@Module({
  imports: [AuditModule, RealmsModule, SetupModule, StaffModule],
  providers: [AuthService, LoginFailuresRepository],
  exports: [AuthService],
})
export class AuthModule {}

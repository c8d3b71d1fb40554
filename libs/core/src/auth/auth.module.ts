import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RealmsModule } from '../realms/realms.module';
import { SetupModule } from '../setup/setup.module';
import { StaffModule } from '../staff/staff.module';
import { AuthService } from './auth.service';
import { LoginFailuresRepository } from './login-failures.repository';
import { RevocationListener } from './revocation-listener';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { StaffSessionsService } from './staff-sessions.service';

@Module({
  imports: [AuditModule, NotificationsModule, RealmsModule, SetupModule, StaffModule],
  providers: [
    AuthService,
    LoginFailuresRepository,
    RevocationListener,
    StaffSessionsRepository,
    StaffSessionsService,
  ],
  exports: [AuthService],
})
export class AuthModule {}

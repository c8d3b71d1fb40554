import { Module } from '@nestjs/common';
import { RealmsModule } from '../realms/realms.module';
import { SetupModule } from '../setup/setup.module';
import { StaffModule } from '../staff/staff.module';
import { AuthService } from './auth.service';

@Module({
  imports: [RealmsModule, SetupModule, StaffModule],
  providers: [AuthService],
  exports: [AuthService],
})
export class AuthModule {}

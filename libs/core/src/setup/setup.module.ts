import { Module } from '@nestjs/common';
import { RealmsModule } from '../realms/realms.module';
import { StaffModule } from '../staff/staff.module';
import { FirstRunService } from './first-run.service';
import { PlatformSettingsRepository } from './platform-settings.repository';
import { SigningKeyService } from './signing-key.service';

@Module({
  imports: [RealmsModule, StaffModule],
  providers: [PlatformSettingsRepository, SigningKeyService, FirstRunService],
  exports: [SigningKeyService, FirstRunService],
})
export class SetupModule {}

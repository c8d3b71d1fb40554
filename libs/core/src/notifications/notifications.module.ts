import { DeliveryModule } from '@gmdesk/delivery';
import { Module } from '@nestjs/common';
import { ClientEventsService } from './client-events.service';
import { RevocationBus } from './revocation-bus';

@Module({
  imports: [DeliveryModule],
  providers: [ClientEventsService, RevocationBus],
  exports: [ClientEventsService, RevocationBus],
})
export class NotificationsModule {}

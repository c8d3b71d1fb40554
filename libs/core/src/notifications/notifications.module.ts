import { DeliveryModule } from '@gmdesk/delivery';
import { Module } from '@nestjs/common';
import { ClientEventsService } from './client-events.service';

@Module({
  imports: [DeliveryModule],
  providers: [ClientEventsService],
  exports: [ClientEventsService],
})
export class NotificationsModule {}

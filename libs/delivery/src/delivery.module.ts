import { Module } from '@nestjs/common';
import { DeliveryService } from './delivery.service';
import { OutboxRepository } from './outbox.repository';

@Module({
  providers: [OutboxRepository, DeliveryService],
  exports: [DeliveryService],
})
export class DeliveryModule {}

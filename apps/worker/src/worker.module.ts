import { ChatModule, IdempotencyModule } from '@gmdesk/core';
import { DeliveryModule } from '@gmdesk/delivery';
import { Module } from '@nestjs/common';
import { ChatPartitionsJob } from './jobs/chat-partitions.job';
import { DeliveryRetentionJob } from './jobs/delivery-retention.job';
import { IdempotencyRetentionJob } from './jobs/idempotency-retention.job';

/** Background jobs. Needs RuntimeModule from its host (worker main or apps/platform). */
@Module({
  imports: [ChatModule, DeliveryModule, IdempotencyModule],
  providers: [ChatPartitionsJob, DeliveryRetentionJob, IdempotencyRetentionJob],
})
export class WorkerModule {}

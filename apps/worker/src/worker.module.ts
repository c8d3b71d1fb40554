import { IdempotencyModule } from '@gmdesk/core';
import { Module } from '@nestjs/common';
import { IdempotencyRetentionJob } from './jobs/idempotency-retention.job';

/** Background jobs. Needs RuntimeModule from its host (worker main or apps/platform). */
@Module({
  imports: [IdempotencyModule],
  providers: [IdempotencyRetentionJob],
})
export class WorkerModule {}

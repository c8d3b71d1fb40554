import { IdempotencyService } from '@gmdesk/core';
import { Injectable } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

/** A week is far beyond any sane retry window; older keys only cost space. */
const RETENTION_MS = 7 * 24 * 3600_000;

/** Deletes idempotency keys older than a week, hourly. */
@Injectable()
export class IdempotencyRetentionJob extends PeriodicJob {
  constructor(private readonly idempotency: IdempotencyService) {
    super(3600_000);
  }

  protected async work(now: Date): Promise<number> {
    const deleted = await this.idempotency.pruneOlderThan(new Date(now.getTime() - RETENTION_MS));
    if (deleted > 0) {
      this.logger.log(`pruned ${deleted} idempotency keys`);
    }
    return deleted;
  }
}

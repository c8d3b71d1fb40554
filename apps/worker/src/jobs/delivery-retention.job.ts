import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { DeliveryService } from '@gmdesk/delivery';
import { Inject, Injectable } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

/**
 * Prunes stream events older than DELIVERY_RETENTION_HOURS. Streams remember how far history
 * was pruned, so a client resuming from before that is told to re-sync, never silently skipped.
 */
@Injectable()
export class DeliveryRetentionJob extends PeriodicJob {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly delivery: DeliveryService,
  ) {
    super(15 * 60_000);
  }

  protected async work(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.deliveryRetentionHours * 3600_000);
    const pruned = await this.delivery.pruneOlderThan(before);
    if (pruned > 0) {
      this.logger.log(`pruned ${pruned} stream events`);
    }
    return pruned;
  }
}

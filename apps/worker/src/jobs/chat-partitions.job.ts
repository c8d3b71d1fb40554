import { ChatPartitionsService } from '@gmdesk/core';
import { Injectable } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

/**
 * Chat storage upkeep: creates the day partitions ahead of time (moving lines that went to the
 * default partition into their day's new one), then drops the days past CHAT_RETENTION_DAYS and
 * forgets old batch answers. Runs at start and every hour; safe with several workers.
 */
@Injectable()
export class ChatPartitionsJob extends PeriodicJob {
  constructor(private readonly partitions: ChatPartitionsService) {
    super(60 * 60_000);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    void this.runOnce();
  }

  protected async work(now: Date): Promise<number> {
    const round = await this.partitions.ensurePartitions(now);
    if (round.created.length > 0) {
      this.logger.log(
        `created chat partitions ${round.created.join(', ')}; moved ${round.movedLines} lines out of the default partition`,
      );
    }
    const expired = await this.partitions.dropExpired(now);
    if (expired.dropped.length > 0 || expired.deletedLines > 0) {
      this.logger.log(
        `dropped chat partitions ${expired.dropped.join(', ') || '(none)'}; deleted ${expired.deletedLines} old lines from the default partition`,
      );
    }
    return round.created.length + expired.dropped.length;
  }
}

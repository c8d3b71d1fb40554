import { IdempotencyService } from '@gmdesk/core';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const RETENTION_MS = 7 * 24 * 3600_000;
const INTERVAL_MS = 3600_000;

/** Deletes idempotency keys after a week, hourly. */
@Injectable()
export class IdempotencyRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyRetentionJob.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly idempotency: IdempotencyService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async runOnce(now = new Date()): Promise<number> {
    try {
      const deleted = await this.idempotency.pruneOlderThan(new Date(now.getTime() - RETENTION_MS));
      if (deleted > 0) {
        this.logger.log(`pruned ${deleted} idempotency keys`);
      }
      return deleted;
    } catch (error) {
      this.logger.error({ err: error }, 'idempotency retention failed');
      return 0;
    }
  }
}

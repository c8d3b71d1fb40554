import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A job that runs every `intervalMs` in this process. Errors are logged and the next tick tries
 * again; the timer never keeps the process alive on its own.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  protected constructor(private readonly intervalMs: number) {}

  /** Does one round of work; returns how many rows it handled (for logs and tests). */
  protected abstract work(now: Date): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async runOnce(now = new Date()): Promise<number> {
    try {
      return await this.work(now);
    } catch (error) {
      this.logger.error({ err: error }, 'job failed; retrying on the next tick');
      return 0;
    }
  }
}

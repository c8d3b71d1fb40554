import {
  BeforeApplicationShutdown,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';

/**
 * A job that runs every `intervalMs` in this process. Errors are logged and the next tick tries
 * again; the timer never keeps the process alive on its own. Rounds never overlap, and shutdown
 * waits for the one running (before the database pool closes under it).
 */
export abstract class PeriodicJob
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopping = false;

  protected constructor(private readonly intervalMs: number) {}

  /** Does one round of work; returns how many rows it handled (for logs and tests). */
  protected abstract work(now: Date): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async runOnce(now = new Date()): Promise<number> {
    if (this.stopping) {
      return 0;
    }
    // A round still running (a slow database) is waited for, not run twice at once.
    while (this.running) {
      await this.running;
    }
    this.running = this.work(now).catch((error: unknown) => {
      this.logger.error({ err: error }, 'job failed; retrying on the next tick');
      return 0;
    });
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }
}

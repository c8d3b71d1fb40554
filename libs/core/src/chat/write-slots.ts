/**
 * At most `slots` chat writes at once in this process, each holding a database connection, and at
 * most `queue` waiting behind them; past that a batch is refused at once (the caller is told to
 * resend later) rather than held in memory while PostgreSQL lags.
 */
export class WriteSlots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly slots: number,
    private readonly queue: number,
  ) {}

  /** A release function, or null when every slot is busy and the queue is full. */
  async acquire(): Promise<(() => void) | null> {
    if (this.busy < this.slots) {
      this.busy += 1;
      return this.releaser();
    }
    if (this.waiting.length >= this.queue) {
      return null;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    // The releasing writer handed its slot over: `busy` did not change.
    return this.releaser();
  }

  get inUse(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get queueCapacity(): number {
    return this.queue;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.busy -= 1;
      }
    };
  }
}

import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { ChatPartitionsRepository, partitionNameOf } from './chat.repository';

const DAY_MS = 86_400_000;

export interface PartitionRound {
  /** Partitions created this round, by name. */
  readonly created: readonly string[];
  /** Lines moved out of the default partition into their day's new partition. */
  readonly movedLines: number;
}

/**
 * Keeps a partition for every day a line may be sent on: from the oldest day a line may still
 * arrive for (CHAT_MAX_LINE_AGE_HOURS) to CHAT_PARTITION_DAYS_AHEAD days after today. Ingestion
 * never depends on it: a line of a day without a partition goes to the default one, and the next
 * round moves it.
 */
@Injectable()
export class ChatPartitionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ChatPartitionsRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async ensurePartitions(now = new Date()): Promise<PartitionRound> {
    const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const daysBack = Math.ceil(this.config.chat.maxLineAgeHours / 24);
    const days: Date[] = [];
    for (let offset = -daysBack; offset <= this.config.chat.partitionDaysAhead; offset += 1) {
      days.push(new Date(today + offset * DAY_MS));
    }
    const created: string[] = [];
    let movedLines = 0;
    for (const day of days) {
      // One transaction per day: a long backlog never holds the default partition's lock long.
      const moved = await this.transactions.run(async (manager) => {
        await this.repository.lockMaintenance(manager);
        if ((await this.repository.attachedPartitions(manager)).has(partitionNameOf(day))) {
          return null;
        }
        return this.repository.createDayPartition(day, manager);
      });
      if (moved !== null) {
        created.push(partitionNameOf(day));
        movedLines += moved;
      }
    }
    return { created, movedLines };
  }
}

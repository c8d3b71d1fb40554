import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { ChatPartitionsRepository, dayOfPartition, partitionNameOf } from './chat.repository';

const DAY_MS = 86_400_000;
/** How long a batch's answer is kept for resends: far past any reconnect, at least a week. */
const MIN_BATCH_MEMORY_MS = 7 * DAY_MS;

export interface RetentionRound {
  /** Day partitions dropped (whole days past CHAT_RETENTION_DAYS). */
  readonly dropped: readonly string[];
  /** Lines deleted from the default partition (only there when maintenance lagged). */
  readonly deletedLines: number;
  /** Batch answers forgotten. */
  readonly forgottenBatches: number;
}

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

  /**
   * Chat older than CHAT_RETENTION_DAYS goes by whole days: a day's partition is dropped once the
   * last line it can hold is past the retention. Evidence copied into reports is kept apart from
   * chat and is not touched.
   */
  async dropExpired(now = new Date()): Promise<RetentionRound> {
    const cutoff = new Date(now.getTime() - this.config.chat.retentionDays * DAY_MS);
    const batchCutoff = new Date(
      now.getTime() -
        Math.max(MIN_BATCH_MEMORY_MS, this.config.chat.maxLineAgeHours * 3600_000 * 2),
    );
    return this.transactions.run(async (manager) => {
      await this.repository.lockMaintenance(manager);
      const dropped: string[] = [];
      for (const name of await this.repository.attachedPartitions(manager)) {
        const day = dayOfPartition(name);
        if (day && day.getTime() + DAY_MS <= cutoff.getTime()) {
          await this.repository.dropDayPartition(name, manager);
          dropped.push(name);
        }
      }
      const deletedLines = await this.repository.deleteDefaultLinesBefore(cutoff, manager);
      const forgottenBatches = await this.repository.deleteBatchesBefore(batchCutoff, manager);
      return { dropped: dropped.sort(), deletedLines, forgottenBatches };
    });
  }
}

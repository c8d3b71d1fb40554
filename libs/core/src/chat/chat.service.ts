import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { UnavailableError } from '../common/domain-error';
import { sha256 } from '../common/hashing';
import type { GameServerPrincipal } from '../common/principal';
import { checkChatLine, isRejected, type ChatLine, type RejectedChatLine } from './chat-line';
import { ChatError, ChatErrorCode } from './chat.errors';
import { ChatRepository, type ChatBatchKey, type StoredChatBatch } from './chat.repository';
import { WriteSlots } from './write-slots';

/** The answer to a chat batch: sent only once its lines are committed. */
export interface ChatBatchResult {
  readonly batchId: string;
  readonly accepted: number;
  readonly rejected: readonly RejectedChatLine[];
  /** True when this batch was stored before (a resend after a lost ack): nothing was stored now. */
  readonly replayed: boolean;
  /** Set when this process is busy writing chat: wait this long before the next batch. */
  readonly retryAfterMs?: number;
}

class BatchAlreadyClaimed extends Error {}

/** How far ahead of our clock a game server's clock may run. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** A commit slower than this tells the server to slow down (PostgreSQL is lagging). */
const SLOW_COMMIT_MS = 500;
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * Chat lines from game servers (`chat.batch` on /game, `POST /chat/batches`): checked line by line,
 * stored with COPY in one transaction with the batch's answer, acknowledged after commit. A batch
 * id is claimed with its lines, so a resend after a lost ack gets the first answer and stores
 * nothing; a concurrent resend waits for the first to commit and gets its answer too.
 */
@Injectable()
export class ChatService {
  private readonly slots: WriteSlots;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ChatRepository,
    private readonly transactions: TransactionRunner,
  ) {
    const writes = config.chat.writesInFlight;
    this.slots = new WriteSlots(writes, writes * 8);
  }

  async ingest(
    server: GameServerPrincipal,
    batchId: string,
    lines: readonly unknown[],
  ): Promise<ChatBatchResult> {
    const key: ChatBatchKey = { realmId: server.realmId, serverId: server.serverId, batchId };
    const requestHash = sha256(JSON.stringify(lines)).toString('hex');
    const earlier = await this.repository.findBatch(key);
    if (earlier) {
      return replay(batchId, earlier, requestHash);
    }
    const now = new Date();
    const window = {
      maxAgeMs: this.config.chat.maxLineAgeHours * 3600_000,
      maxSkewMs: MAX_CLOCK_SKEW_MS,
    };
    const good: ChatLine[] = [];
    const rejected: RejectedChatLine[] = [];
    lines.forEach((raw, index) => {
      const line = checkChatLine(raw, index, now, window);
      if (isRejected(line)) {
        rejected.push(line);
      } else {
        good.push(line);
      }
    });
    const answer: StoredChatBatch = { requestHash, accepted: good.length, rejected };

    const release = await this.slots.acquire();
    if (!release) {
      throw new UnavailableError('Chat intake is at capacity; send this batch again shortly.');
    }
    const started = Date.now();
    try {
      await this.transactions.run(async (manager) => {
        if (!(await this.repository.claimBatch(key, answer, manager))) {
          throw new BatchAlreadyClaimed();
        }
        await this.repository.insertLines(key, good, manager);
      });
    } catch (error) {
      if (!(error instanceof BatchAlreadyClaimed)) {
        throw error;
      }
      const winner = await this.repository.findBatch(key);
      if (!winner) {
        throw new Error('chat batch claimed by a transaction that left no row', { cause: error });
      }
      return replay(batchId, winner, requestHash);
    } finally {
      release();
    }
    const took = Date.now() - started;
    // Writers queue behind the slots at times; half the queue full means we are falling behind.
    const busy = this.slots.queued >= this.slots.queueCapacity / 2;
    return {
      batchId,
      accepted: answer.accepted,
      rejected,
      replayed: false,
      ...((took > SLOW_COMMIT_MS || busy) && {
        retryAfterMs: Math.min(MAX_RETRY_AFTER_MS, Math.max(took, 250)),
      }),
    };
  }
}

function replay(batchId: string, stored: StoredChatBatch, requestHash: string): ChatBatchResult {
  if (stored.requestHash !== requestHash) {
    throw new ChatError(
      ChatErrorCode.BatchIdReused,
      'This batchId was used before for other lines; give every batch its own id.',
      { batchId },
    );
  }
  return { batchId, accepted: stored.accepted, rejected: stored.rejected, replayed: true };
}

import { copyText, sql, SqlRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ChatLine, RejectedChatLine } from './chat-line';

/** What a batch was answered the first time: kept so a resend gets the same answer. */
export interface StoredChatBatch {
  readonly requestHash: string;
  readonly accepted: number;
  readonly rejected: RejectedChatLine[];
}

export interface ChatBatchKey {
  readonly realmId: string;
  readonly serverId: string;
  readonly batchId: string;
}

const FIND_BATCH = sql<StoredChatBatch>(
  'chat.find-batch',
  `SELECT request_hash AS "requestHash", accepted, rejected
     FROM chat_batches WHERE realm_id = $1 AND server_id = $2 AND batch_id = $3`,
);

/** Waits for a concurrent claim of the same batch to commit or roll back, then says who won. */
const CLAIM_BATCH = sql<{ claimed: number }>(
  'chat.claim-batch',
  `INSERT INTO chat_batches (realm_id, server_id, batch_id, request_hash, accepted, rejected)
   VALUES ($1, $2, $3, $4, $5, $6)
   ON CONFLICT DO NOTHING
   RETURNING 1 AS claimed`,
);

const COPY_LINES = `COPY chat_messages
  (realm_id, server_id, batch_id, line_index, channel, sender_account_id, recipient_account_id, body, sent_at)
  FROM STDIN`;

/** Lines per chunk written to COPY: large enough to be cheap, small enough not to be one big string. */
const COPY_CHUNK_LINES = 500;

@Injectable()
export class ChatRepository {
  constructor(private readonly sql: SqlRunner) {}

  async findBatch(key: ChatBatchKey): Promise<StoredChatBatch | null> {
    const [batch] = await this.sql.query(FIND_BATCH, [key.realmId, key.serverId, key.batchId]);
    return batch ?? null;
  }

  /** False when another transaction holds or committed the same batch. */
  async claimBatch(
    key: ChatBatchKey,
    answer: StoredChatBatch,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows = await this.sql.queryIn(manager, CLAIM_BATCH, [
      key.realmId,
      key.serverId,
      key.batchId,
      answer.requestHash,
      answer.accepted,
      JSON.stringify(answer.rejected),
    ]);
    return rows.length === 1;
  }

  /** The lines, through COPY into the day partitions of their `sent_at` (or the default one). */
  async insertLines(
    key: ChatBatchKey,
    lines: readonly ChatLine[],
    manager: EntityManager,
  ): Promise<number> {
    if (lines.length === 0) {
      return 0;
    }
    const prefix = `${copyText(key.realmId)}\t${key.serverId}\t${copyText(key.batchId)}\t`;
    const chunks: string[] = [];
    for (let start = 0; start < lines.length; start += COPY_CHUNK_LINES) {
      let chunk = '';
      for (const line of lines.slice(start, start + COPY_CHUNK_LINES)) {
        chunk +=
          `${prefix}${line.index}\t${copyText(line.channel)}\t${copyText(line.senderAccountId)}\t` +
          `${copyText(line.recipientAccountId)}\t${copyText(line.body)}\t${line.sentAt.toISOString()}\n`;
      }
      chunks.push(chunk);
    }
    return this.sql.copyIn(manager, COPY_LINES, chunks);
  }
}

/** `chat_messages_p20261202`: the partition of one UTC day. */
export function partitionNameOf(day: Date): string {
  return `chat_messages_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day a partition name stands for, or null for any other table (the default one). */
export function dayOfPartition(name: string): Date | null {
  const match = /^chat_messages_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : null;
}

/** Partition maintenance: DDL, run by the worker, one day at a time, each in its transaction. */
@Injectable()
export class ChatPartitionsRepository {
  /** Serialises maintenance across workers; a second worker waits, then finds the work done. */
  async lockMaintenance(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('gmdesk:chat-partitions'))`);
  }

  async attachedPartitions(manager: EntityManager): Promise<Set<string>> {
    const rows: { name: string }[] = await manager.query(
      `SELECT c.relname AS name
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'chat_messages'::regclass`,
    );
    return new Set(rows.map((row) => row.name));
  }

  /**
   * Creates the day's partition and attaches it. Lines of that day that went to the DEFAULT
   * partition meanwhile (maintenance did not run in time) are moved into it first, in the same
   * transaction: ATTACH refuses a range the default partition still holds rows of, and no line is
   * lost or seen twice. Returns how many lines were moved.
   */
  async createDayPartition(day: Date, manager: EntityManager): Promise<number> {
    const name = partitionNameOf(day);
    const from = day.toISOString();
    const to = new Date(day.getTime() + 86_400_000).toISOString();
    await manager.query(
      `CREATE TABLE ${name} (LIKE chat_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    const moved: unknown[] = await manager.query(
      `WITH moved AS (
         DELETE FROM chat_messages_default WHERE sent_at >= $1 AND sent_at < $2 RETURNING *
       )
       INSERT INTO ${name} SELECT * FROM moved RETURNING 1`,
      [from, to],
    );
    await manager.query(
      `ALTER TABLE chat_messages ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    return moved.length;
  }

  /** Drops a whole day of chat: instant, whatever its size, and leaves no dead rows behind. */
  async dropDayPartition(name: string, manager: EntityManager): Promise<void> {
    if (dayOfPartition(name) === null) {
      throw new Error(`not a chat day partition: ${name}`);
    }
    await manager.query(`DROP TABLE ${name}`);
  }

  /** Lines in the default partition sent before `before` (only there if maintenance lagged). */
  async deleteDefaultLinesBefore(before: Date, manager: EntityManager): Promise<number> {
    const rows: unknown[] = await manager.query(
      `DELETE FROM chat_messages_default WHERE sent_at < $1 RETURNING 1`,
      [before.toISOString()],
    );
    return rows.length;
  }

  /** Forgets the answers of batches received before `before`: a resend that late is a new batch. */
  async deleteBatchesBefore(before: Date, manager: EntityManager): Promise<number> {
    const rows: unknown[] = await manager.query(
      `DELETE FROM chat_batches WHERE received_at < $1 RETURNING 1`,
      [before.toISOString()],
    );
    return rows.length;
  }
}

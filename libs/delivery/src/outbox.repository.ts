import { sql, SqlRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export const DELIVERY_CHANNEL = 'gmdesk_delivery';

export interface StoredEvent {
  readonly stream: string;
  readonly seq: number;
  readonly event: string;
  readonly payload: unknown;
  readonly createdAt: Date;
}

export interface StreamState {
  readonly stream: string;
  readonly epoch: string;
  readonly lastSeq: number;
  /** Events with seq ≤ this were pruned by retention. */
  readonly prunedThrough: number;
}

interface StreamRow {
  stream: string;
  epoch: string;
  last_seq: string;
  pruned_through: string;
}

const toState = (row: StreamRow): StreamState => ({
  stream: row.stream,
  epoch: row.epoch,
  lastSeq: Number(row.last_seq),
  prunedThrough: Number(row.pruned_through),
});

/** One round trip: advance the counter, store the event, queue the NOTIFY (sent on commit). */
const APPEND = sql<{ epoch: string; seq: string }>(
  'delivery.append',
  `WITH counter AS (
     INSERT INTO delivery_streams (stream, last_seq) VALUES ($1, 1)
     ON CONFLICT (stream) DO UPDATE SET last_seq = delivery_streams.last_seq + 1
     RETURNING epoch, last_seq
   ), stored AS (
     INSERT INTO delivery_events (stream, seq, event, payload)
     SELECT $1, last_seq, $2, $3::jsonb FROM counter
   )
   SELECT epoch, last_seq AS seq, pg_notify($4, last_seq || ' ' || $1) FROM counter`,
);

const APPEND_AT_COMMIT = sql(
  'delivery.append-at-commit',
  `INSERT INTO delivery_pending (stream, event, payload) VALUES ($1, $2, $3::jsonb)`,
);

@Injectable()
export class OutboxRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlRunner,
  ) {}

  /**
   * Appends in the caller's transaction and hands out the seq at once. The counter row stays
   * locked until that transaction ends, so a later appender to the same stream gets the next seq
   * only after this one commits: sequence order is commit order. The NOTIFY is delivered by
   * PostgreSQL only on commit. Holding the lock across the rest of the transaction is harmless for
   * a stream that one recipient's changes write (a player, a game server); a shared stream uses
   * appendAtCommit.
   */
  async append(
    manager: EntityManager,
    stream: string,
    event: string,
    payload: unknown,
  ): Promise<{ epoch: string; seq: number }> {
    const rows = await this.sql.queryIn(manager, APPEND, [
      stream,
      event,
      JSON.stringify(payload),
      DELIVERY_CHANNEL,
    ]);
    const row = rows[0];
    if (!row) {
      throw new Error(`could not advance delivery stream ${stream}`);
    }
    return { epoch: row.epoch, seq: Number(row.seq) };
  }

  /**
   * Appends in the caller's transaction without locking anything shared: the event waits in
   * `delivery_pending` until the transaction COMMITs, where a deferred trigger (migration
   * 1764110000000) gives it the stream's next seq, stores it in `delivery_events` and queues the
   * NOTIFY. The counter row is then locked only for the trigger and the commit itself, never
   * across a round trip to the application; seq order stays commit order, several events of one
   * transaction keep their order, and a rollback leaves nothing behind. The seq does not exist
   * before the commit, so none is returned.
   */
  async appendAtCommit(
    manager: EntityManager,
    stream: string,
    event: string,
    payload: unknown,
  ): Promise<void> {
    await this.sql.queryIn(manager, APPEND_AT_COMMIT, [stream, event, JSON.stringify(payload)]);
  }

  async announceRevocation(manager: EntityManager, subject: string): Promise<void> {
    await manager.query(`SELECT pg_notify('gmdesk_revocations', $1)`, [subject]);
  }

  /** The stream's state, creating an empty stream (seq 0) on first use. */
  async ensureStream(stream: string): Promise<StreamState> {
    const select = `SELECT stream, epoch, last_seq, pruned_through FROM delivery_streams WHERE stream = $1`;
    let rows: StreamRow[] = await this.dataSource.query(select, [stream]);
    if (rows.length === 0) {
      // Only a brand-new stream inserts: an existing row may be locked by an appender until its
      // commit, and a connecting client must not queue behind that.
      await this.dataSource.query(
        `INSERT INTO delivery_streams (stream, last_seq) VALUES ($1, 0) ON CONFLICT (stream) DO NOTHING`,
        [stream],
      );
      rows = await this.dataSource.query(select, [stream]);
    }
    const row = rows[0];
    if (!row) {
      throw new Error(`delivery stream ${stream} vanished`);
    }
    return toState(row);
  }

  /** Committed events after `afterSeq`, in order. */
  async readAfter(stream: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows: {
      stream: string;
      seq: string;
      event: string;
      payload: unknown;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT stream, seq, event, payload, created_at FROM delivery_events
          WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [stream, afterSeq, limit],
    );
    return rows.map((row) => ({
      stream: row.stream,
      seq: Number(row.seq),
      event: row.event,
      payload: row.payload,
      createdAt: new Date(row.created_at),
    }));
  }

  /** Deletes events older than `before` and records per stream how far history is gone. */
  async pruneOlderThan(before: Date): Promise<number> {
    const rows: { deleted: string }[] = await this.dataSource.query(
      `WITH deleted AS (
         DELETE FROM delivery_events WHERE created_at < $1 RETURNING stream, seq
       ), highest AS (
         SELECT stream, max(seq) AS seq, count(*) AS n FROM deleted GROUP BY stream
       ), marked AS (
         UPDATE delivery_streams s SET pruned_through = GREATEST(s.pruned_through, h.seq)
           FROM highest h WHERE s.stream = h.stream RETURNING h.n
       )
       SELECT coalesce(sum(n), 0) AS deleted FROM marked`,
      [before],
    );
    return Number(rows[0]?.deleted ?? 0);
  }
}

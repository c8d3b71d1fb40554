import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat lines streamed by game servers (DESIGN §2, §4).
 *
 * - `chat_messages` is range-partitioned by `sent_at`, one partition per UTC day, so retention
 *   drops whole days and a search over a time range reads only its days. A line is accepted only
 *   when `sent_at` is within the last few days (ChatLineRules), so it lands in a day partition
 *   the maintenance job created ahead; if that job did not run, the DEFAULT partition takes the
 *   line (never an error), and the next maintenance run moves its rows into the day's partition.
 * - `realm_id` leads every key and index: the tables can be distributed by realm on Citus
 *   (`create_distributed_table('chat_messages', 'realm_id')`) without a rewrite.
 * - `chat_batches` remembers every accepted batch (server + batch id) with its answer: a batch
 *   resent after a lost ack gets that answer and stores nothing. It is a plain table because a
 *   unique key on the partitioned table would have to include `sent_at`, and a resend may fall
 *   on another day.
 */
export class CreateChat1764120000000 implements MigrationInterface {
  name = 'CreateChat1764120000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE chat_batches (
        realm_id text NOT NULL REFERENCES realms (id),
        server_id uuid NOT NULL REFERENCES game_servers (id),
        batch_id text NOT NULL,
        request_hash text NOT NULL,
        accepted integer NOT NULL CHECK (accepted >= 0),
        rejected jsonb NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (realm_id, server_id, batch_id)
      )`);
    await db.query(`CREATE INDEX chat_batches_received_idx ON chat_batches (received_at)`);
    await db.query(`
      CREATE TABLE chat_messages (
        realm_id text NOT NULL,
        id bigserial,
        server_id uuid NOT NULL,
        batch_id text NOT NULL,
        line_index integer NOT NULL,
        channel text NOT NULL,
        sender_account_id text NOT NULL,
        recipient_account_id text,
        body text NOT NULL,
        sent_at timestamptz(3) NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (realm_id, sent_at, id)
      ) PARTITION BY RANGE (sent_at)`);
    await db.query(`CREATE TABLE chat_messages_default PARTITION OF chat_messages DEFAULT`);
    await db.query(
      `CREATE INDEX chat_messages_sender_idx ON chat_messages (realm_id, sender_account_id, sent_at)`,
    );
    await db.query(
      `CREATE INDEX chat_messages_recipient_idx ON chat_messages (realm_id, recipient_account_id, sent_at)
        WHERE recipient_account_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE chat_messages`);
    await db.query(`DROP TABLE chat_batches`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff search chat by text in any language: trigram matching (`pg_trgm`, a trusted extension
 * since PostgreSQL 13, so the database owner may create it) works on characters, not on a
 * language's words, and backs `ILIKE '%…%'`. Per-channel reads (the lines around one line) get
 * their own index. Both are created on every day partition, present and future.
 */
export class AddChatSearch1764120001000 implements MigrationInterface {
  name = 'AddChatSearch1764120001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(
      `CREATE INDEX chat_messages_body_trgm_idx ON chat_messages USING gin (body gin_trgm_ops)`,
    );
    await db.query(
      `CREATE INDEX chat_messages_channel_idx ON chat_messages (realm_id, channel, sent_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX chat_messages_channel_idx`);
    await db.query(`DROP INDEX chat_messages_body_trgm_idx`);
  }
}

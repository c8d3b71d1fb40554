import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable delivery (DESIGN §4): one stream per recipient with a counter row that hands out
 * sequence numbers inside the writer's transaction, and the events themselves.
 */
export class CreateDeliveryStreams1764020000000 implements MigrationInterface {
  name = 'CreateDeliveryStreams1764020000000';

  async up(db: QueryRunner): Promise<void> {
    // The counter row, not a bigserial: appenders to one stream queue on this row, so sequence
    // order is commit order and a reader that saw seq N has seen every seq below it.
    await db.query(`
      CREATE TABLE delivery_streams (
        stream text PRIMARY KEY,
        epoch text NOT NULL DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 12),
        last_seq bigint NOT NULL,
        pruned_through bigint NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE delivery_events (
        stream text NOT NULL REFERENCES delivery_streams(stream),
        seq bigint NOT NULL,
        event text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (stream, seq)
      )`);
    await db.query(`CREATE INDEX delivery_events_created_idx ON delivery_events (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS delivery_events`);
    await db.query(`DROP TABLE IF EXISTS delivery_streams`);
  }
}

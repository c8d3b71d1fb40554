import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events for a stream that many transactions write (the staff stream) get their seq while the
 * writing transaction COMMITs, not in the middle of it (issue 12, README "Why the staff stream does
 * not serialise writes").
 *
 * The transaction only inserts its events into `delivery_pending` (no lock on any shared row). A
 * deferred constraint trigger fires for each pending row inside the COMMIT's server-side
 * processing, in insertion order: it advances the stream's counter row, moves the event into
 * `delivery_events` with that seq, deletes the pending row and queues the NOTIFY. The counter row
 * stays locked from there until the commit has finished, so seq order is still commit order, but
 * the lock is never held across a round trip to the application.
 *
 * `delivery_pending` is UNLOGGED: a committed transaction has always emptied its pending rows in
 * the trigger, so the table's committed content is empty at every moment, which is exactly what an
 * unlogged table holds after a crash or on a promoted standby; its inserts and deletes write no WAL.
 */
export class AppendSharedStreamsAtCommit1764110000000 implements MigrationInterface {
  name = 'AppendSharedStreamsAtCommit1764110000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE delivery_pending (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream text NOT NULL,
        event text NOT NULL,
        payload jsonb NOT NULL
      )`);
    // The counter row is locked from the upsert until the commit ends, so the work before it (the
    // pending row's delete) stays outside, and the rest is one statement. The channel is
    // libs/delivery's DELIVERY_CHANNEL and the payload `<seq> <stream>`, as in
    // OutboxRepository.append: listeners cannot tell the two paths apart.
    await db.query(`
      CREATE FUNCTION delivery_publish_pending() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        next_seq bigint;
      BEGIN
        DELETE FROM delivery_pending WHERE id = NEW.id;
        WITH counter AS (
          INSERT INTO delivery_streams AS s (stream, last_seq) VALUES (NEW.stream, 1)
          ON CONFLICT (stream) DO UPDATE SET last_seq = s.last_seq + 1
          RETURNING s.last_seq
        ), stored AS (
          INSERT INTO delivery_events (stream, seq, event, payload)
          SELECT NEW.stream, last_seq, NEW.event, NEW.payload FROM counter
        )
        SELECT last_seq INTO STRICT next_seq FROM counter;
        PERFORM pg_notify('gmdesk_delivery', next_seq || ' ' || NEW.stream);
        RETURN NULL;
      END
      $$`);
    // INITIALLY DEFERRED: fires at COMMIT (after the transaction's last statement), once per row,
    // in the order the rows were inserted; a rolled-back transaction never fires it.
    await db.query(`
      CREATE CONSTRAINT TRIGGER delivery_pending_publish
        AFTER INSERT ON delivery_pending
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION delivery_publish_pending()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS delivery_pending`);
    await db.query(`DROP FUNCTION IF EXISTS delivery_publish_pending()`);
  }
}

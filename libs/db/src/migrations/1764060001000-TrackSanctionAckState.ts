import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-server enforcement state of a sanction: when each event was (last) sent, and whether an
 * unacknowledged `issued` was superseded — by the revocation of the sanction or by its expiry —
 * so that it is never sent again as something to enforce.
 */
export class TrackSanctionAckState1764060001000 implements MigrationInterface {
  name = 'TrackSanctionAckState1764060001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sanction_acks ADD COLUMN sent_at timestamptz(3)`);
    // The event's own time where the stream still holds it; otherwise when the change happened.
    await db.query(`
      UPDATE sanction_acks a SET sent_at = e.created_at
        FROM delivery_events e
       WHERE e.stream = 'server:' || a.server_id::text AND e.seq = a.stream_seq`);
    await db.query(`
      UPDATE sanction_acks a
         SET sent_at = CASE WHEN a.action = 'revoked' THEN coalesce(s.revoked_at, s.created_at)
                            ELSE s.created_at END
        FROM sanctions s
       WHERE s.id = a.sanction_id AND a.sent_at IS NULL`);
    await db.query(`ALTER TABLE sanction_acks ALTER COLUMN sent_at SET DEFAULT now()`);
    await db.query(`ALTER TABLE sanction_acks ALTER COLUMN sent_at SET NOT NULL`);

    await db.query(`ALTER TABLE sanction_acks ADD COLUMN superseded_at timestamptz(3)`);
    await db.query(`
      ALTER TABLE sanction_acks ADD COLUMN superseded_by text
        CHECK (superseded_by IN ('revoked', 'expired'))`);
    await db.query(`
      ALTER TABLE sanction_acks ADD CONSTRAINT sanction_acks_superseded_check
        CHECK ((superseded_at IS NULL) = (superseded_by IS NULL)
               AND (superseded_at IS NULL OR action = 'issued'))`);
    // Unacknowledged issues of sanctions revoked before this migration: the revocation decides.
    await db.query(`
      UPDATE sanction_acks a SET superseded_at = s.revoked_at, superseded_by = 'revoked'
        FROM sanctions s
       WHERE s.id = a.sanction_id AND a.action = 'issued' AND a.acked_at IS NULL
         AND s.revoked_at IS NOT NULL`);

    await db.query(`DROP INDEX sanction_acks_pending_idx`);
    await db.query(`
      CREATE INDEX sanction_acks_pending_idx ON sanction_acks (server_id, stream_seq)
       WHERE acked_at IS NULL AND superseded_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX sanction_acks_pending_idx`);
    await db.query(
      `CREATE INDEX sanction_acks_pending_idx ON sanction_acks (server_id) WHERE acked_at IS NULL`,
    );
    await db.query(`ALTER TABLE sanction_acks DROP CONSTRAINT sanction_acks_superseded_check`);
    await db.query(`ALTER TABLE sanction_acks DROP COLUMN superseded_by`);
    await db.query(`ALTER TABLE sanction_acks DROP COLUMN superseded_at`);
    await db.query(`ALTER TABLE sanction_acks DROP COLUMN sent_at`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed staff logins per username (lower-cased), for the per-account back-off. Keyed by the name
 * typed, not the staff row, so an unknown username backs off exactly like a real one and the
 * back-off cannot be used to find out which usernames exist. A successful login deletes the row;
 * rows whose last failure is old are pruned when failures are recorded.
 */
export class CreateLoginFailures1764080002000 implements MigrationInterface {
  name = 'CreateLoginFailures1764080002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE login_failures (
        username_key text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures >= 0),
        last_failure_at timestamptz(3) NOT NULL,
        blocked_until timestamptz(3)
      )`);
    await db.query(
      `CREATE INDEX login_failures_last_failure_idx ON login_failures (last_failure_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_failures`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ending staff sessions before their tokens expire. `session_generation` is copied into every
 * staff token (`gen`); bumping it (password change, re-enabling, "log out everywhere") ends every
 * older token at once. A counter rather than a tokens-valid-after time: it needs no clock
 * agreement between the api processes that sign tokens and the one that bumps it, and a token
 * issued in the same second right after the change stays valid. `revoked_staff_tokens` ends one
 * token (logout of one console session), kept only until that token would have expired anyway.
 */
export class AddStaffSessionRevocation1764080000000 implements MigrationInterface {
  name = 'AddStaffSessionRevocation1764080000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE staff ADD COLUMN session_generation integer NOT NULL DEFAULT 0 CHECK (session_generation >= 0)`,
    );
    await db.query(`
      CREATE TABLE revoked_staff_tokens (
        token_id uuid PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES staff(id),
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX revoked_staff_tokens_expiry_idx ON revoked_staff_tokens (expires_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE revoked_staff_tokens`);
    await db.query(`ALTER TABLE staff DROP COLUMN session_generation`);
  }
}

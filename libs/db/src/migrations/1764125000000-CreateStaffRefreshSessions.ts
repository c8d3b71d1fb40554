import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in sessions that outlive the short staff access token (`POST /auth/refresh`).
 *
 * - `staff_sessions`: one per sign-in (a "family" of refresh credentials). Access tokens carry its
 *   id (`sid`), so revoking it (logout, or a reused refresh credential: theft) ends them too.
 *   `generation` is the account's session generation at sign-in: a password change, disabling
 *   or "log out everywhere" bumps the account's and so ends every refresh session too.
 * - `staff_refresh_tokens`: the credentials of a session, single use. Only a SHA-256 of each is
 *   stored (they are 256-bit random values, so a fast hash is enough: nothing to brute-force).
 *   A used one is kept until its session ends, so that presenting it again is recognised as a
 *   replay, not as an unknown value.
 */
export class CreateStaffRefreshSessions1764125000000 implements MigrationInterface {
  name = 'CreateStaffRefreshSessions1764125000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff_sessions (
        id uuid PRIMARY KEY,
        staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        generation integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3),
        revoked_reason text CHECK (revoked_reason IN ('logout', 'reuse')),
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
      )`);
    await db.query(`CREATE INDEX staff_sessions_expiry_idx ON staff_sessions (expires_at)`);
    await db.query(`CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id)`);
    await db.query(`
      CREATE TABLE staff_refresh_tokens (
        token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        session_id uuid NOT NULL REFERENCES staff_sessions(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        used_at timestamptz(3)
      )`);
    await db.query(
      `CREATE INDEX staff_refresh_tokens_session_idx ON staff_refresh_tokens (session_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE staff_refresh_tokens`);
    await db.query(`DROP TABLE staff_sessions`);
  }
}

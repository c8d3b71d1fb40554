import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type SessionEndReason = 'logout' | 'reuse';

/** A refresh credential with its session and account, as `POST /auth/refresh` checks it. */
export interface RefreshCredentialRow {
  readonly sessionId: string;
  readonly staffId: string;
  readonly usedAt: Date | null;
  readonly sessionExpiresAt: Date;
  readonly sessionRevoked: boolean;
  /** The account's generation now differs from the one at sign-in (password change, ...). */
  readonly generationChanged: boolean;
  readonly staffDisabled: boolean;
}

interface CredentialSqlRow {
  session_id: string;
  staff_id: string;
  used_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
  generation_changed: boolean;
  staff_disabled: boolean;
}

/** Sign-in sessions and their single-use refresh credentials (`staff_sessions`, `staff_refresh_tokens`). */
@Injectable()
export class StaffSessionsRepository {
  async create(
    session: { id: string; staffId: string; generation: number; expiresAt: Date },
    credentialHash: Buffer,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO staff_sessions (id, staff_id, generation, expires_at) VALUES ($1, $2, $3, $4)`,
      [session.id, session.staffId, session.generation, session.expiresAt],
    );
    await this.addCredential(session.id, credentialHash, manager);
  }

  async addCredential(sessionId: string, hash: Buffer, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO staff_refresh_tokens (token_hash, session_id) VALUES ($1, $2)`,
      [hash, sessionId],
    );
  }

  /**
   * The credential with this hash, its session locked until the transaction ends: two refreshes of
   * one session (two tabs, or a thief and the owner) are decided one after the other.
   */
  async lockCredential(hash: Buffer, manager: EntityManager): Promise<RefreshCredentialRow | null> {
    const rows: CredentialSqlRow[] = await manager.query(
      `SELECT t.session_id, s.staff_id, t.used_at, s.expires_at, s.revoked_at,
              st.session_generation <> s.generation AS generation_changed,
              st.disabled_at IS NOT NULL AS staff_disabled
         FROM staff_refresh_tokens t
         JOIN staff_sessions s ON s.id = t.session_id
         JOIN staff st ON st.id = s.staff_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
      [hash],
    );
    const row = rows[0];
    return row
      ? {
          sessionId: row.session_id,
          staffId: row.staff_id,
          usedAt: row.used_at,
          sessionExpiresAt: row.expires_at,
          sessionRevoked: row.revoked_at !== null,
          generationChanged: row.generation_changed,
          staffDisabled: row.staff_disabled,
        }
      : null;
  }

  async markUsed(hash: Buffer, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE staff_refresh_tokens SET used_at = now() WHERE token_hash = $1`, [
      hash,
    ]);
  }

  /** Ends a session of this staff member; false when it is not theirs or already ended. */
  async revoke(
    session: { id: string; staffId: string },
    reason: SessionEndReason,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `UPDATE staff_sessions SET revoked_at = now(), revoked_reason = $3
        WHERE id = $1 AND staff_id = $2 AND revoked_at IS NULL
        RETURNING id`,
      [session.id, session.staffId, reason],
    );
    return rows.length > 0;
  }

  /**
   * A bounded clean-up of sessions that ended a while ago (their access tokens have long expired
   * too); their credentials go with them.
   */
  async pruneEndedBefore(before: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM staff_sessions WHERE id IN (
         SELECT id FROM staff_sessions WHERE expires_at < $1
          ORDER BY expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)`,
      [before],
    );
  }
}

import { selectList, sql, SqlRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StaffEntity } from './staff.entity';

export type NewStaff = Pick<
  StaffEntity,
  'username' | 'displayName' | 'role' | 'passwordHash' | 'realms' | 'languages'
>;

const STAFF_COLUMNS = selectList({
  id: 'id',
  username: 'username',
  displayName: 'display_name',
  role: 'role',
  passwordHash: 'password_hash',
  realms: 'realms',
  languages: 'languages',
  disabledAt: 'disabled_at',
  sessionGeneration: 'session_generation',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
});

const STAFF_BY_ID = sql<StaffEntity>(
  'staff.by-id',
  `SELECT ${STAFF_COLUMNS} FROM staff WHERE id = $1`,
);

/**
 * $2: the token's id, or null for a token from before tokens had ids. $3: its sign-in session
 * (`sid`), or null for a token from before sessions: logging out or a replayed refresh credential
 * ends the session and with it every access token issued in it.
 */
const STAFF_FOR_TOKEN = sql<StaffEntity & { tokenRevoked: boolean }>(
  'staff.for-token',
  `SELECT ${STAFF_COLUMNS},
          ($2::uuid IS NOT NULL AND EXISTS (
            SELECT 1 FROM revoked_staff_tokens revoked WHERE revoked.token_id = $2::uuid
          )) OR ($3::uuid IS NOT NULL AND EXISTS (
            SELECT 1 FROM staff_sessions session
             WHERE session.id = $3::uuid AND session.revoked_at IS NOT NULL
          )) AS "tokenRevoked"
     FROM staff WHERE id = $1`,
);

@Injectable()
export class StaffRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlRunner,
  ) {}

  /**
   * Returns null when the username (case-insensitive) is taken. ON CONFLICT instead of catching the
   * unique violation: a failed statement is logged with its parameters, the password hash included.
   */
  async insert(staff: NewStaff, manager: EntityManager): Promise<StaffEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(StaffEntity)
      .values({ ...staff, disabledAt: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    const [row] = result.raw as { id: string }[];
    return row ? manager.findOneByOrFail(StaffEntity, { id: row.id }) : null;
  }

  findByUsername(username: string): Promise<StaffEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(StaffEntity, 'staff')
      .where('lower(staff.username) = lower(:username)', { username })
      .getOne();
  }

  async findById(id: string): Promise<StaffEntity | null> {
    return (await this.sql.query(STAFF_BY_ID, [id]))[0] ?? null;
  }

  /**
   * The staff row behind a token and whether that token (or its session) was revoked, in one
   * round trip: every authenticated staff request makes this query.
   */
  async findForToken(
    id: string,
    tokenId: string | null,
    sessionId: string | null = null,
  ): Promise<{ staff: StaffEntity; tokenRevoked: boolean } | null> {
    const [row] = await this.sql.query(STAFF_FOR_TOKEN, [id, tokenId, sessionId]);
    if (!row) {
      return null;
    }
    const { tokenRevoked, ...staff } = row;
    return { staff, tokenRevoked };
  }

  /** The staff row, locked until the transaction ends (concurrent edits apply one after another). */
  lockById(id: string, manager: EntityManager): Promise<StaffEntity | null> {
    return manager
      .createQueryBuilder(StaffEntity, 'staff')
      .setLock('pessimistic_write')
      .where('staff.id = :id', { id })
      .getOne();
  }

  list(): Promise<StaffEntity[]> {
    return this.dataSource.manager.find(StaffEntity, { order: { username: 'ASC' } });
  }

  async hasAny(): Promise<boolean> {
    return (await this.dataSource.manager.count(StaffEntity)) > 0;
  }

  async update(
    id: string,
    changes: Partial<
      Pick<
        StaffEntity,
        | 'displayName'
        | 'role'
        | 'passwordHash'
        | 'realms'
        | 'languages'
        | 'disabledAt'
        | 'sessionGeneration'
      >
    >,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(StaffEntity, { id }, changes);
  }

  /** Ends every token issued so far: they carry the old generation. False when no such staff. */
  async bumpSessionGeneration(id: string, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(StaffEntity)
      .set({ sessionGeneration: () => 'session_generation + 1' })
      .where('id = :id', { id })
      .execute();
    return result.affected === 1;
  }

  /**
   * Ends one token until it would have expired anyway; entries for tokens past their expiry are
   * dropped in the same statement batch, so the table holds at most one token lifetime of logouts.
   */
  async revokeToken(
    token: { id: string; staffId: string; expiresAt: Date },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO revoked_staff_tokens (token_id, staff_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (token_id) DO NOTHING`,
      [token.id, token.staffId, token.expiresAt],
    );
    await manager.query(`DELETE FROM revoked_staff_tokens WHERE expires_at < now()`);
  }
}

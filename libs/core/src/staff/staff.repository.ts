import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StaffEntity } from './staff.entity';

export type NewStaff = Pick<
  StaffEntity,
  'username' | 'displayName' | 'role' | 'passwordHash' | 'realms' | 'languages'
>;

@Injectable()
export class StaffRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  findById(id: string): Promise<StaffEntity | null> {
    return this.dataSource.manager.findOneBy(StaffEntity, { id });
  }

  /**
   * The staff row behind a token and whether that one token was revoked (logged out), in one
   * round trip: every authenticated staff request makes this query.
   */
  async findForToken(
    id: string,
    tokenId: string | null,
  ): Promise<{ staff: StaffEntity; tokenRevoked: boolean } | null> {
    const query = this.dataSource.manager
      .createQueryBuilder(StaffEntity, 'staff')
      .where('staff.id = :id', { id });
    if (tokenId !== null) {
      query.addSelect(
        'EXISTS (SELECT 1 FROM revoked_staff_tokens revoked WHERE revoked.token_id = :tokenId)',
        'token_revoked',
      );
      query.setParameter('tokenId', tokenId);
    }
    const { entities, raw } = await query.getRawAndEntities<{ token_revoked?: boolean }>();
    const [staff] = entities;
    return staff ? { staff, tokenRevoked: raw[0]?.token_revoked === true } : null;
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

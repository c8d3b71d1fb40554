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
        'displayName' | 'role' | 'passwordHash' | 'realms' | 'languages' | 'disabledAt'
      >
    >,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(StaffEntity, { id }, changes);
  }
}

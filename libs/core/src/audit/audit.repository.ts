import { sql, SqlRunner, whereInRealms } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RealmScope } from '../common/realm-scope';
import { AuditEntryEntity } from './audit-entry.entity';

export type NewAuditEntry = Pick<
  AuditEntryEntity,
  | 'actorType'
  | 'actorId'
  | 'action'
  | 'targetType'
  | 'targetId'
  | 'realmId'
  | 'before'
  | 'after'
  | 'requestId'
>;

export interface AuditQuery {
  readonly targetType?: string;
  readonly targetId?: string;
  readonly actorId?: string;
  /** Entries with an id below this (newest first). */
  readonly beforeId?: string;
  readonly limit: number;
}

const APPEND_ENTRY = sql(
  'audit.append',
  `INSERT INTO audit_entries
     (actor_type, actor_id, action, target_type, target_id, realm_id, before, after, request_id)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
);

@Injectable()
export class AuditRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlRunner,
  ) {}

  async append(entry: NewAuditEntry, manager: EntityManager): Promise<void> {
    await this.sql.queryIn(manager, APPEND_ENTRY, [
      entry.actorType,
      entry.actorId,
      entry.action,
      entry.targetType,
      entry.targetId,
      entry.realmId,
      entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === null ? null : JSON.stringify(entry.after),
      entry.requestId,
    ]);
  }

  list(query: AuditQuery, scope: RealmScope): Promise<AuditEntryEntity[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(AuditEntryEntity, 'entry')
      .orderBy('entry.id', 'DESC')
      .limit(query.limit);
    if (query.targetType) {
      builder.andWhere('entry.target_type = :targetType', { targetType: query.targetType });
    }
    if (query.targetId) {
      builder.andWhere('entry.target_id = :targetId', { targetId: query.targetId });
    }
    if (query.actorId) {
      builder.andWhere('entry.actor_id = :actorId', { actorId: query.actorId });
    }
    if (query.beforeId) {
      builder.andWhere('entry.id < :beforeId', { beforeId: query.beforeId });
    }
    return whereInRealms(builder, 'entry.realm_id', scope).getMany();
  }
}

import type { SanctionAction } from '@gmdesk/contracts';
import { whereInRealms } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RealmScope } from '../common/realm-scope';
import { SanctionEntity } from './sanction.entity';

export type NewSanction = Omit<SanctionEntity, 'id' | 'createdAt' | 'revokedAt' | 'revokedBy'>;

export interface PendingAck {
  readonly sanctionId: string;
  readonly action: SanctionAction;
  readonly streamSeq: number;
}

@Injectable()
export class SanctionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(sanction: NewSanction, manager: EntityManager): Promise<SanctionEntity> {
    return manager.save(
      SanctionEntity,
      manager.create(SanctionEntity, { ...sanction, revokedAt: null, revokedBy: null }),
    );
  }

  findById(id: string, scope: RealmScope): Promise<SanctionEntity | null> {
    const query = this.dataSource.manager
      .createQueryBuilder(SanctionEntity, 'sanction')
      .where('sanction.id = :id', { id });
    return whereInRealms(query, 'sanction.realm_id', scope).getOne();
  }

  /** The sanction, locked until the transaction ends (revocation). */
  lockById(id: string, scope: RealmScope, manager: EntityManager): Promise<SanctionEntity | null> {
    const query = manager
      .createQueryBuilder(SanctionEntity, 'sanction')
      .setLock('pessimistic_write')
      .where('sanction.id = :id', { id });
    return whereInRealms(query, 'sanction.realm_id', scope).getOne();
  }

  async markRevoked(id: string, by: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(SanctionEntity, { id }, { revokedAt: at, revokedBy: by });
  }

  /** Records that `serverId` must acknowledge `action`, sent as `streamSeq` of its stream. */
  async expectAck(
    sanctionId: string,
    serverId: string,
    action: SanctionAction,
    streamSeq: number,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO sanction_acks (sanction_id, server_id, action, stream_seq) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sanction_id, server_id, action) DO UPDATE SET stream_seq = EXCLUDED.stream_seq`,
      [sanctionId, serverId, action, streamSeq],
    );
  }

  /** True when the server was asked for this acknowledgement (now recorded); false if it never was. */
  async acknowledge(
    sanctionId: string,
    serverId: string,
    action: SanctionAction,
  ): Promise<boolean> {
    // For UPDATE, TypeORM's postgres driver answers [rows, affectedCount].
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE sanction_acks SET acked_at = coalesce(acked_at, now())
        WHERE sanction_id = $1 AND server_id = $2 AND action = $3`,
      [sanctionId, serverId, action],
    );
    return affected === 1;
  }

  async pendingFor(serverId: string, manager: EntityManager): Promise<PendingAck[]> {
    const rows: { sanction_id: string; action: SanctionAction; stream_seq: string }[] =
      await manager.query(
        `SELECT sanction_id, action, stream_seq FROM sanction_acks
        WHERE server_id = $1 AND acked_at IS NULL ORDER BY stream_seq FOR UPDATE`,
        [serverId],
      );
    return rows.map((row) => ({
      sanctionId: row.sanction_id,
      action: row.action,
      streamSeq: Number(row.stream_seq),
    }));
  }

  findByIds(ids: readonly string[], manager: EntityManager): Promise<SanctionEntity[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return manager
      .createQueryBuilder(SanctionEntity, 'sanction')
      .where('sanction.id = ANY(:ids)', { ids: [...ids] })
      .getMany();
  }

  /** Whether a sanction on this player was issued for this case and not revoked. */
  async existsActiveForCase(
    ticketId: string,
    playerId: string,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM sanctions
        WHERE ticket_id = $1 AND player_id = $2 AND revoked_at IS NULL LIMIT 1`,
      [ticketId, playerId],
    );
    return rows.length > 0;
  }
}

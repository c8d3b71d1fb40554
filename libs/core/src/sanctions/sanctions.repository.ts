import type { SanctionAction, SanctionType } from '@gmdesk/contracts';
import { whereInRealms } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { RealmScope } from '../common/realm-scope';
import { sanctionActiveSql } from './sanction-rules';
import { SanctionEntity } from './sanction.entity';

export type NewSanction = Omit<
  SanctionEntity,
  'id' | 'createdAt' | 'revokedAt' | 'revokedBy' | 'revokeReason'
>;

/** Why an unacknowledged `issued` is not to be sent again. */
export type SupersededBy = 'revoked' | 'expired';

export interface PendingAck {
  readonly sanctionId: string;
  readonly action: SanctionAction;
  readonly streamSeq: number;
}

/** What an acknowledgement did (see `acknowledge`). */
export interface AckOutcome {
  readonly first: boolean;
  readonly ackedAt: Date;
  readonly realmId: string;
  readonly playerAccountId: string;
}

/** Keyset position in a listing: the last row's `(created_at, id)`. */
export interface SanctionPosition {
  readonly createdAt: string;
  readonly id: string;
}

export interface SanctionFilter {
  readonly realmId?: string;
  /** The player's internal id (resolved from realm + account id by the service). */
  readonly playerId?: string;
  readonly type?: SanctionType;
  readonly active?: boolean;
  /** The case or ticket the sanctions were issued from. */
  readonly ticketId?: string;
}

/** One event of a sanction for one game server, or (action null) a server it was never sent to. */
export interface EnforcementRow {
  readonly serverId: string;
  readonly serverName: string;
  readonly action: SanctionAction | null;
  readonly sentAt: Date | null;
  readonly ackedAt: Date | null;
  readonly supersededAt: Date | null;
  readonly supersededBy: SupersededBy | null;
}

/**
 * Advisory lock class of "the sanctions of one realm" (the second key is the realm's hash). Issue
 * and revoke hold it shared; the first-connection bootstrap of a server holds it exclusively, so
 * it sees every sanction whose issue or revocation could have missed that server.
 */
const REALM_SANCTIONS_LOCK = 1764060002;

@Injectable()
export class SanctionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(sanction: NewSanction, manager: EntityManager): Promise<SanctionEntity> {
    return manager.save(
      SanctionEntity,
      manager.create(SanctionEntity, {
        ...sanction,
        revokedAt: null,
        revokedBy: null,
        revokeReason: null,
      }),
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

  /** Takes the realm's sanction lock until the transaction ends (see REALM_SANCTIONS_LOCK). */
  async holdRealmLock(
    realmId: string,
    mode: 'shared' | 'exclusive',
    manager: EntityManager,
  ): Promise<void> {
    const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await manager.query(`SELECT ${lock}($1, hashtext($2))`, [REALM_SANCTIONS_LOCK, realmId]);
  }

  async markRevoked(
    id: string,
    change: { by: string; at: Date; reason: string },
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(
      SanctionEntity,
      { id },
      { revokedAt: change.at, revokedBy: change.by, revokeReason: change.reason },
    );
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
      `INSERT INTO sanction_acks (sanction_id, server_id, action, stream_seq, sent_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (sanction_id, server_id, action)
       DO UPDATE SET stream_seq = EXCLUDED.stream_seq, sent_at = EXCLUDED.sent_at`,
      [sanctionId, serverId, action, streamSeq],
    );
  }

  /**
   * Every unacknowledged `issued` of the sanction, on every server, is settled by `by`: it is never
   * sent again. Row locks: a redelivery that holds one finishes first (its `issued` then precedes
   * the `revoked` in the stream); one that comes later no longer sees the row as pending.
   */
  async supersedePendingIssues(
    sanctionId: string,
    by: SupersededBy,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE sanction_acks SET superseded_at = $2, superseded_by = $3
        WHERE sanction_id = $1 AND action = 'issued' AND acked_at IS NULL AND superseded_at IS NULL`,
      [sanctionId, at, by],
    );
  }

  /** One server's unacknowledged `issued` is settled by `by` (met during its redelivery). */
  async supersedeIssue(
    sanctionId: string,
    serverId: string,
    by: SupersededBy,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE sanction_acks SET superseded_at = $3, superseded_by = $4
        WHERE sanction_id = $1 AND server_id = $2 AND action = 'issued'
          AND acked_at IS NULL AND superseded_at IS NULL`,
      [sanctionId, serverId, at, by],
    );
  }

  /** True when the server was asked for this acknowledgement (now recorded); false if it never was. */
  /**
   * Records a server's acknowledgement, in the caller's transaction. Null when the server was
   * never sent that event; otherwise whether this is the first acknowledgement (a repeated one
   * changes nothing and announces nothing), with what the staff event names.
   */
  async acknowledge(
    sanctionId: string,
    serverId: string,
    action: SanctionAction,
    manager: EntityManager,
  ): Promise<AckOutcome | null> {
    const rows: { first: boolean; acked_at: Date; realm_id: string; account_id: string }[] =
      await manager.query(
        `WITH target AS (
           SELECT sanction_id, server_id, action, acked_at AS was FROM sanction_acks
            WHERE sanction_id = $1 AND server_id = $2 AND action = $3
            FOR UPDATE
         ), acked AS (
           UPDATE sanction_acks a SET acked_at = coalesce(a.acked_at, now())
             FROM target t
            WHERE a.sanction_id = t.sanction_id AND a.server_id = t.server_id AND a.action = t.action
           RETURNING a.sanction_id, a.acked_at, t.was IS NULL AS first
         )
         SELECT acked.first, acked.acked_at, s.realm_id, p.account_id
           FROM acked
           JOIN sanctions s ON s.id = acked.sanction_id
           JOIN players p ON p.id = s.player_id`,
        [sanctionId, serverId, action],
      );
    const [row] = rows;
    return row
      ? {
          first: row.first,
          ackedAt: row.acked_at,
          realmId: row.realm_id,
          playerAccountId: row.account_id,
        }
      : null;
  }

  /**
   * The server's unacknowledged, unsuperseded events up to `throughSeq`, in stream order, locked
   * in that order until the transaction ends (two resumes of one server redeliver once).
   */
  async lockPending(
    serverId: string,
    throughSeq: number,
    manager: EntityManager,
  ): Promise<PendingAck[]> {
    const rows: { sanction_id: string; action: SanctionAction; stream_seq: string }[] =
      await manager.query(
        `SELECT sanction_id, action, stream_seq FROM sanction_acks
          WHERE server_id = $1 AND acked_at IS NULL AND superseded_at IS NULL AND stream_seq <= $2
          ORDER BY stream_seq FOR UPDATE`,
        [serverId, throughSeq],
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

  /** Whether the server already received its realm's active sanctions on a first connection. */
  async isServerSynced(serverId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM sanction_server_syncs WHERE server_id = $1`,
      [serverId],
    );
    return rows.length > 0;
  }

  /**
   * Claims the first-connection bootstrap of a server: true for exactly one transaction per server
   * (a concurrent claim waits on the primary key until this one commits, then finds the row).
   */
  async claimServerSync(serverId: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO sanction_server_syncs (server_id, sanctions_sent) VALUES ($1, 0)
       ON CONFLICT (server_id) DO NOTHING RETURNING server_id`,
      [serverId],
    );
    return rows.length > 0;
  }

  async recordServerSync(serverId: string, sent: number, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE sanction_server_syncs SET sanctions_sent = $2 WHERE server_id = $1`,
      [serverId, sent],
    );
  }

  /** The realm's active sanctions never sent to this server, oldest first. */
  activeNotSentTo(
    serverId: string,
    realmId: string,
    now: Date,
    manager: EntityManager,
  ): Promise<SanctionEntity[]> {
    return manager
      .createQueryBuilder(SanctionEntity, 'sanction')
      .where('sanction.realm_id = :realmId', { realmId })
      .andWhere(sanctionActiveSql('sanction'), { now })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM sanction_acks ack
                      WHERE ack.sanction_id = sanction.id AND ack.server_id = :serverId)`,
        { serverId },
      )
      .orderBy('sanction.created_at', 'ASC')
      .addOrderBy('sanction.id', 'ASC')
      .getMany();
  }

  /** A page of the realm's active sanctions, oldest first (a stable order to page through). */
  listActive(
    realmId: string,
    now: Date,
    after: SanctionPosition | null,
    limit: number,
  ): Promise<SanctionEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(SanctionEntity, 'sanction')
      .where('sanction.realm_id = :realmId', { realmId })
      .andWhere(sanctionActiveSql('sanction'), { now })
      .orderBy('sanction.created_at', 'ASC')
      .addOrderBy('sanction.id', 'ASC')
      .limit(limit);
    if (after) {
      query.andWhere('(sanction.created_at, sanction.id) > (:createdAt, :id)', after);
    }
    return query.getMany();
  }

  /** Staff search, newest first. */
  list(
    filter: SanctionFilter,
    scope: RealmScope,
    now: Date,
    after: SanctionPosition | null,
    limit: number,
  ): Promise<SanctionEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(SanctionEntity, 'sanction')
      .orderBy('sanction.created_at', 'DESC')
      .addOrderBy('sanction.id', 'DESC')
      .limit(limit);
    whereInRealms(query, 'sanction.realm_id', scope);
    applyFilter(query, filter, now);
    if (after) {
      query.andWhere('(sanction.created_at, sanction.id) < (:createdAt, :id)', after);
    }
    return query.getMany();
  }

  /**
   * Each event of the sanction per server, and, when `withUnsent`, the realm's active servers it
   * was never sent to; in server registration order.
   */
  async enforcement(
    sanction: Pick<SanctionEntity, 'id' | 'realmId'>,
    withUnsent: boolean,
  ): Promise<EnforcementRow[]> {
    const rows: {
      server_id: string;
      server_name: string;
      action: SanctionAction | null;
      sent_at: Date | null;
      acked_at: Date | null;
      superseded_at: Date | null;
      superseded_by: SupersededBy | null;
    }[] = await this.dataSource.query(
      `SELECT gs.id AS server_id, gs.name AS server_name, gs.created_at,
              a.action, a.sent_at, a.acked_at, a.superseded_at, a.superseded_by
         FROM sanction_acks a JOIN game_servers gs ON gs.id = a.server_id
        WHERE a.sanction_id = $1
       UNION ALL
       SELECT gs.id, gs.name, gs.created_at, NULL, NULL, NULL, NULL, NULL
         FROM game_servers gs
        WHERE $3 AND gs.realm_id = $2 AND gs.revoked_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM sanction_acks a
                           WHERE a.sanction_id = $1 AND a.server_id = gs.id)
        ORDER BY created_at, server_id, action NULLS FIRST`,
      [sanction.id, sanction.realmId, withUnsent],
    );
    return rows.map((row) => ({
      serverId: row.server_id,
      serverName: row.server_name,
      action: row.action,
      sentAt: row.sent_at,
      ackedAt: row.acked_at,
      supersededAt: row.superseded_at,
      supersededBy: row.superseded_by,
    }));
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

  /**
   * The realm of a ticket, or null. Read here rather than through TicketsService: tickets will
   * want to know about sanctions (a case's outcome), and the modules must not import each other.
   */
  async findTicketRealm(ticketId: string): Promise<string | null> {
    const rows: { realm_id: string }[] = await this.dataSource.query(
      `SELECT realm_id FROM tickets WHERE id = $1`,
      [ticketId],
    );
    return rows[0]?.realm_id ?? null;
  }
}

function applyFilter(
  query: SelectQueryBuilder<SanctionEntity>,
  filter: SanctionFilter,
  now: Date,
): void {
  if (filter.realmId) {
    query.andWhere('sanction.realm_id = :realmId', { realmId: filter.realmId });
  }
  if (filter.playerId) {
    query.andWhere('sanction.player_id = :playerId', { playerId: filter.playerId });
  }
  if (filter.type) {
    query.andWhere('sanction.type = :type', { type: filter.type });
  }
  if (filter.ticketId) {
    query.andWhere('sanction.ticket_id = :ticketId', { ticketId: filter.ticketId });
  }
  if (filter.active !== undefined) {
    const active = sanctionActiveSql('sanction');
    query.andWhere(filter.active ? active : `NOT ${active}`, { now });
  }
}

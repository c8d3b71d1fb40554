import { selectList, sql, SqlRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RealmScope } from '../common/realm-scope';
import { PlayerEntity } from './player.entity';

export interface PlayerProfile {
  readonly displayName?: string;
  readonly language?: string;
  /** When the game created the account (game servers only; checked by PlayersService). */
  readonly accountCreatedAt?: Date;
}

/** Keyset position in the player search: the last row's realm and account id. */
export interface PlayerSearchPosition {
  readonly realmId: string;
  readonly accountId: string;
}

/** A reporter's credibility after one of their reports was resolved. */
export interface CredibilityChange {
  readonly playerId: string;
  readonly credibility: number;
}

const PLAYER_COLUMNS = selectList({
  id: 'id',
  realmId: 'realm_id',
  accountId: 'account_id',
  displayName: 'display_name',
  language: 'language',
  reportCredibility: 'report_credibility',
  reportBannedUntil: 'report_banned_until',
  reportBanReason: 'report_ban_reason',
  onlineServerId: 'online_server_id',
  onlineSince: 'online_since',
  accountCreatedAt: 'account_created_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
});

/** Inserts the player unless it exists, and returns the row either way (see `ensure`). */
const ENSURE_PLAYER = sql<PlayerEntity>(
  'players.ensure',
  `WITH inserted AS (
     INSERT INTO players (realm_id, account_id, display_name, language, account_created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (realm_id, account_id) DO NOTHING
     RETURNING ${PLAYER_COLUMNS}
   )
   SELECT * FROM inserted
   UNION ALL
   SELECT ${PLAYER_COLUMNS} FROM players WHERE realm_id = $1 AND account_id = $2
   LIMIT 1`,
);

const PLAYER_BY_ACCOUNT = sql<PlayerEntity>(
  'players.by-account',
  `SELECT ${PLAYER_COLUMNS} FROM players WHERE realm_id = $1 AND account_id = $2`,
);

const LOCK_FOR_REPORTING = sql<PlayerEntity>(
  'players.lock-for-reporting',
  `SELECT ${PLAYER_COLUMNS} FROM players WHERE id = $1 FOR NO KEY UPDATE`,
);

const PLAYERS_BY_IDS = sql<PlayerEntity>(
  'players.by-ids',
  `SELECT ${PLAYER_COLUMNS} FROM players WHERE id = ANY($1::uuid[])`,
);

@Injectable()
export class PlayersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlRunner,
  ) {}

  /**
   * Finds or creates the player without locking an existing row: two players reporting each other
   * at the same moment must not deadlock on each other's rows. One round trip in the usual case.
   */
  async ensure(
    realmId: string,
    accountId: string,
    profile: PlayerProfile,
    manager: EntityManager,
  ): Promise<PlayerEntity> {
    const [found] = await this.sql.queryIn(manager, ENSURE_PLAYER, [
      realmId,
      accountId,
      profile.displayName ?? null,
      profile.language ?? null,
      profile.accountCreatedAt ?? null,
    ]);
    // Empty only when a concurrent first insert of the same player committed while this statement
    // waited on it: its snapshot predates that row, a fresh statement sees it.
    const player =
      found ?? (await this.sql.queryIn(manager, PLAYER_BY_ACCOUNT, [realmId, accountId]))[0];
    if (!player) {
      throw new Error(`player ${realmId}/${accountId} vanished while being ensured`);
    }
    const changes = {
      ...(profile.displayName !== undefined &&
        profile.displayName !== player.displayName && { displayName: profile.displayName }),
      ...(profile.language !== undefined &&
        profile.language !== player.language && { language: profile.language }),
      // The game server is the authority on its accounts: a corrected creation time replaces ours.
      ...(profile.accountCreatedAt !== undefined &&
        profile.accountCreatedAt.getTime() !== player.accountCreatedAt?.getTime() && {
          accountCreatedAt: profile.accountCreatedAt,
        }),
    };
    if (Object.keys(changes).length > 0) {
      await manager.update(PlayerEntity, { id: player.id }, changes);
      Object.assign(player, changes);
    }
    return player;
  }

  /**
   * Players whose account id starts with `text` (as typed) or whose display name does (any
   * case), by realm then account id. Two branches, each served by its own text_pattern_ops index
   * (AddPlayerSearchIndexes) and each limited, merged: one `a OR b` made the planner walk the
   * whole (realm, account) index for a rare prefix (0.5-1 s on 500,000 players; this takes
   * under 10 ms). Sent unnamed, so each search is planned with its prefix (a generic plan could
   * not turn LIKE into an index range). LIKE's wildcards in `text` are matched literally.
   */
  search(
    scope: RealmScope,
    filter: { readonly realmId?: string; readonly text: string },
    after: PlayerSearchPosition | null,
    limit: number,
  ): Promise<PlayerEntity[]> {
    const prefix = `${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = `($2::text[] IS NULL OR realm_id = ANY($2))
       AND ($3::text IS NULL OR realm_id = $3)
       AND ($4::text IS NULL OR (realm_id, account_id) > ($4, $5))`;
    return this.dataSource.query(
      `SELECT * FROM (
         (SELECT ${PLAYER_COLUMNS} FROM players WHERE account_id LIKE $1 AND ${where}
           ORDER BY realm_id, account_id LIMIT $6)
         UNION
         (SELECT ${PLAYER_COLUMNS} FROM players WHERE lower(display_name) LIKE lower($1) AND ${where}
           ORDER BY realm_id, account_id LIMIT $6)
       ) found
       ORDER BY "realmId", "accountId" LIMIT $6`,
      [
        prefix,
        scope.kind === 'realms' ? [...scope.realmIds] : null,
        filter.realmId ?? null,
        after?.realmId ?? null,
        after?.accountId ?? null,
        limit,
      ],
    );
  }

  async findByAccount(realmId: string, accountId: string): Promise<PlayerEntity | null> {
    return (await this.sql.query(PLAYER_BY_ACCOUNT, [realmId, accountId]))[0] ?? null;
  }

  /** The player, locked against concurrent changes (FOR NO KEY UPDATE: see lockForReporting). */
  lockByAccount(
    realmId: string,
    accountId: string,
    manager: EntityManager,
  ): Promise<PlayerEntity | null> {
    return manager
      .createQueryBuilder(PlayerEntity, 'player')
      .setLock('for_no_key_update')
      .where('player.realm_id = :realmId AND player.account_id = :accountId', {
        realmId,
        accountId,
      })
      .getOne();
  }

  findByIds(ids: readonly string[]): Promise<PlayerEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.sql.query(PLAYERS_BY_IDS, [ids]);
  }

  /** The same read as findByIds, in the caller's transaction. */
  findByIdsInTransaction(ids: readonly string[], manager: EntityManager): Promise<PlayerEntity[]> {
    return ids.length === 0
      ? Promise.resolve([])
      : this.sql.queryIn(manager, PLAYERS_BY_IDS, [ids]);
  }

  /**
   * Takes the row lock that serialises one reporter's concurrent filings (cooldowns stay exact).
   * FOR NO KEY UPDATE, not FOR UPDATE: rows that reference this player (a case about them, a
   * report against them) take FOR KEY SHARE on it, which FOR UPDATE blocks. Two players reporting
   * each other would then each hold their own row and wait for the other's: a deadlock.
   */
  async lockForReporting(playerId: string, manager: EntityManager): Promise<PlayerEntity> {
    const [player] = await this.sql.queryIn(manager, LOCK_FOR_REPORTING, [playerId]);
    if (!player) {
      throw new Error(`player ${playerId} is gone`);
    }
    return player;
  }

  /**
   * Locks the reporters of a case being closed, in id order (FOR NO KEY UPDATE, like
   * lockForReporting): every transaction that locks several players does so in this one order,
   * so two cases closing at once with reporters in common cannot deadlock on them.
   */
  async lockReporters(
    playerIds: readonly string[],
    manager: EntityManager,
  ): Promise<PlayerEntity[]> {
    if (playerIds.length === 0) {
      return [];
    }
    // With ORDER BY, PostgreSQL locks the rows as the sort returns them: in id order.
    return manager
      .createQueryBuilder(PlayerEntity, 'player')
      .setLock('for_no_key_update')
      .where('player.id = ANY(:ids)', { ids: [...playerIds] })
      .orderBy('player.id', 'ASC')
      .getMany();
  }

  async setCredibility(
    changes: readonly CredibilityChange[],
    manager: EntityManager,
  ): Promise<void> {
    for (const change of changes) {
      await manager.update(
        PlayerEntity,
        { id: change.playerId },
        { reportCredibility: change.credibility },
      );
    }
  }

  async setReportBan(
    playerId: string,
    until: Date | null,
    reason: string | null,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(
      PlayerEntity,
      { id: playerId },
      { reportBannedUntil: until, reportBanReason: reason },
    );
  }

  async setOnlineServer(
    playerId: string,
    serverId: string | null,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(
      PlayerEntity,
      { id: playerId },
      { onlineServerId: serverId, onlineSince: serverId === null ? null : new Date() },
    );
  }
}

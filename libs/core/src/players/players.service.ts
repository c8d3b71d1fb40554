import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { decodeCursor, encodeCursor, Page } from '../common/page';
import {
  GameServerPrincipal,
  Principal,
  staffCoversRealm,
  StaffPrincipal,
} from '../common/principal';
import { realmScopeOf } from '../common/realm-scope';
import { PlayerEntity } from './player.entity';
import { PlayerError, PlayerErrorCode } from './players.errors';
import {
  CredibilityChange,
  PlayerProfile,
  PlayerSearchPosition,
  PlayersRepository,
} from './players.repository';

/** Game servers' clocks drift: an account created up to this far "in the future" is accepted. */
const ACCOUNT_CREATED_AT_SKEW_MS = 5 * 60_000;
/** Older than any game account gmdesk will see: an earlier value is a bug (e.g. epoch 0). */
const EARLIEST_ACCOUNT_CREATED_AT = Date.parse('2000-01-01T00:00:00Z');

export interface ReportBanInput {
  /** Null lifts the ban. */
  readonly until: Date | null;
  readonly reason?: string;
}

export interface SearchPlayersInput {
  /** Account id prefix (as typed) or display name prefix (any case). */
  readonly q: string;
  readonly realmId?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

@Injectable()
export class PlayersService {
  constructor(
    private readonly repository: PlayersRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Used inside other domains' transactions (filing a report, opening a ticket). */
  ensure(
    realmId: string,
    accountId: string,
    profile: PlayerProfile,
    manager: EntityManager,
  ): Promise<PlayerEntity> {
    return this.repository.ensure(realmId, accountId, profile, manager);
  }

  lockForReporting(playerId: string, manager: EntityManager): Promise<PlayerEntity> {
    return this.repository.lockForReporting(playerId, manager);
  }

  /** The reporters of a case being closed, locked in id order (see the repository). */
  lockReporters(playerIds: readonly string[], manager: EntityManager): Promise<PlayerEntity[]> {
    return this.repository.lockReporters(playerIds, manager);
  }

  /** Stores reporters' new credibility (the rule is in reports/reporter-credibility.ts). */
  setCredibility(changes: readonly CredibilityChange[], manager: EntityManager): Promise<void> {
    return this.repository.setCredibility(changes, manager);
  }

  findByIds(ids: readonly string[]): Promise<PlayerEntity[]> {
    return this.repository.findByIds(ids);
  }

  /** findByIds inside another domain's transaction (e.g. whom to notify about a change). */
  findByIdsInTransaction(ids: readonly string[], manager: EntityManager): Promise<PlayerEntity[]> {
    return this.repository.findByIdsInTransaction(ids, manager);
  }

  findByAccount(realmId: string, accountId: string): Promise<PlayerEntity | null> {
    return this.repository.findByAccount(realmId, accountId);
  }

  /** A game server registers or refreshes one of its realm's players. */
  upsertFromGameServer(
    server: GameServerPrincipal,
    realmId: string,
    accountId: string,
    profile: PlayerProfile,
  ): Promise<PlayerEntity> {
    if (server.realmId !== realmId) {
      return Promise.reject(new PlayerError(PlayerErrorCode.PlayerNotFound));
    }
    const invalid = accountCreatedAtError(profile);
    if (invalid) {
      return Promise.reject(invalid);
    }
    return this.transactions.run((manager) =>
      this.repository.ensure(realmId, accountId, profile, manager),
    );
  }

  /**
   * Staff look a player up by account id or display name, in the realms they work in (a realm
   * outside them gives an empty page, as every staff listing does).
   */
  async search(viewer: StaffPrincipal, input: SearchPlayersInput): Promise<Page<PlayerEntity>> {
    const limit = input.limit ?? 25;
    const rows = await this.repository.search(
      realmScopeOf(viewer),
      { realmId: input.realmId, text: input.q },
      parseSearchCursor(input.cursor),
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(['players', last.realmId, last.accountId])
          : null,
    };
  }

  /** "Not yours" and "not there" look the same to the caller. */
  async getForViewer(viewer: Principal, realmId: string, accountId: string): Promise<PlayerEntity> {
    const allowed =
      (viewer.kind === 'player' && viewer.realmId === realmId && viewer.accountId === accountId) ||
      (viewer.kind === 'game_server' && viewer.realmId === realmId) ||
      (viewer.kind === 'staff' && staffCoversRealm(viewer, realmId));
    const player = allowed ? await this.repository.findByAccount(realmId, accountId) : null;
    if (!player) {
      throw new PlayerError(PlayerErrorCode.PlayerNotFound, { realmId, accountId });
    }
    return player;
  }

  setReportBan(
    actor: StaffPrincipal,
    realmId: string,
    accountId: string,
    input: ReportBanInput,
  ): Promise<PlayerEntity> {
    return this.transactions.run(async (manager) => {
      const player = staffCoversRealm(actor, realmId)
        ? await this.repository.lockByAccount(realmId, accountId, manager)
        : null;
      if (!player) {
        throw new PlayerError(PlayerErrorCode.PlayerNotFound, { realmId, accountId });
      }
      const reason = input.until === null ? null : (input.reason ?? null);
      await this.repository.setReportBan(player.id, input.until, reason, manager);
      await this.audit.record(
        actor,
        {
          action: input.until === null ? 'player.report_ban_lift' : 'player.report_ban',
          targetType: 'player',
          targetId: player.id,
          realmId,
          before: { reportBannedUntil: player.reportBannedUntil, reason: player.reportBanReason },
          after: { reportBannedUntil: input.until, reason },
        },
        manager,
      );
      return { ...player, reportBannedUntil: input.until, reportBanReason: reason };
    });
  }

  /**
   * A game server says a player logged in or out. A logout from another server than the one the
   * player is on now (a late message after a realm transfer) does not mark them offline.
   */
  recordSession(
    server: GameServerPrincipal,
    accountId: string,
    state: 'login' | 'logout',
    profile: PlayerProfile,
  ): Promise<PlayerEntity> {
    const invalid = accountCreatedAtError(profile);
    if (invalid) {
      return Promise.reject(invalid);
    }
    return this.transactions.run(async (manager) => {
      const player = await this.repository.ensure(server.realmId, accountId, profile, manager);
      if (state === 'login') {
        await this.repository.setOnlineServer(player.id, server.serverId, manager);
        return { ...player, onlineServerId: server.serverId };
      }
      if (player.onlineServerId === server.serverId) {
        await this.repository.setOnlineServer(player.id, null, manager);
        return { ...player, onlineServerId: null, onlineSince: null };
      }
      return player;
    });
  }
}

/** A game server's `accountCreatedAt` must be a plausible past time (with some clock skew). */
function accountCreatedAtError(profile: PlayerProfile): CommonError | null {
  const at = profile.accountCreatedAt?.getTime();
  if (at === undefined) {
    return null;
  }
  const problem = Number.isNaN(at)
    ? 'must be a timestamp'
    : at > Date.now() + ACCOUNT_CREATED_AT_SKEW_MS
      ? 'must not be in the future'
      : at < EARLIEST_ACCOUNT_CREATED_AT
        ? 'must not be before 2000-01-01'
        : null;
  return problem
    ? new CommonError(CommonErrorCode.ValidationFailed, `accountCreatedAt ${problem}.`, [
        { field: 'accountCreatedAt', problem },
      ])
    : null;
}

function parseSearchCursor(cursor: string | undefined): PlayerSearchPosition | null {
  if (cursor === undefined) {
    return null;
  }
  const values = decodeCursor(cursor);
  if (values?.length === 3) {
    const [tag, realmId, accountId] = values;
    if (tag === 'players' && isCursorText(realmId) && isCursorText(accountId)) {
      return { realmId, accountId };
    }
  }
  throw new CommonError(CommonErrorCode.ValidationFailed, 'The cursor is not valid.', [
    { field: 'cursor', problem: 'is not a cursor this listing issued' },
  ]);
}

/** Text PostgreSQL accepts as a parameter (a NUL would fail the query: a 500, not a 400). */
function isCursorText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 256 && !value.includes('\0');
}

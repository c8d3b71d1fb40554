import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import {
  GameServerPrincipal,
  Principal,
  StaffPrincipal,
  staffCoversRealm,
} from '../common/principal';
import { PlayerEntity } from './player.entity';
import { PlayerError, PlayerErrorCode } from './players.errors';
import { CredibilityChange, PlayerProfile, PlayersRepository } from './players.repository';

/** Game servers' clocks drift: an account created up to this far "in the future" is accepted. */
const ACCOUNT_CREATED_AT_SKEW_MS = 5 * 60_000;
/** Older than any game account gmdesk will see: an earlier value is a bug (e.g. epoch 0). */
const EARLIEST_ACCOUNT_CREATED_AT = Date.parse('2000-01-01T00:00:00Z');

export interface ReportBanInput {
  /** Null lifts the ban. */
  readonly until: Date | null;
  readonly reason?: string;
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

import type {
  SanctionAction,
  SanctionEnforcementStatus,
  SanctionEvent,
  SanctionType,
} from '@gmdesk/contracts';
import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { decodeCursor, encodeCursor, isCursorTimestamp, isCursorUuid, Page } from '../common/page';
import {
  GameServerPrincipal,
  principalKey,
  staffCoversRealm,
  StaffPrincipal,
} from '../common/principal';
import { realmScopeOf } from '../common/realm-scope';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ClientEventsService } from '../notifications/client-events.service';
import { PlayerError, PlayerErrorCode } from '../players/players.errors';
import { PlayersService } from '../players/players.service';
import { RealmError, RealmErrorCode } from '../realms/realms.errors';
import { RealmsService } from '../realms/realms.service';
import { TicketError, TicketErrorCode } from '../tickets/tickets.errors';
import { hasExpired, isActive } from './sanction-rules';
import { SanctionEntity } from './sanction.entity';
import { SanctionError, SanctionErrorCode } from './sanctions.errors';
import {
  EnforcementRow,
  SanctionPosition,
  SanctionsRepository,
  SupersededBy,
} from './sanctions.repository';

export interface IssueSanctionInput {
  readonly realmId: string;
  readonly playerAccountId: string;
  readonly type: SanctionType;
  readonly publicReason: string;
  readonly privateReason?: string;
  /** Absent: permanent (ban, suspend, mute) or instantaneous (warn, kick). */
  readonly durationMinutes?: number;
  readonly ticketId?: string;
}

/** A sanction with the game account id of its player (what clients know the player by). */
export interface SanctionView {
  readonly sanction: SanctionEntity;
  readonly playerAccountId: string;
  /** In force now: not revoked, not expired, not a one-off (see sanction-rules.ts). */
  readonly active: boolean;
}

export interface IssuedSanction extends SanctionView {
  readonly replayed: boolean;
}

/** Where one game server stands with one event of a sanction. */
export interface ServerEnforcement {
  readonly serverId: string;
  readonly serverName: string;
  /** Null for a server it was never sent to (`not_sent`). */
  readonly action: SanctionAction | null;
  readonly status: SanctionEnforcementStatus;
  readonly sentAt: Date | null;
  readonly ackedAt: Date | null;
  readonly supersededBy: SupersededBy | null;
}

export interface SanctionDetail extends SanctionView {
  readonly enforcement: readonly ServerEnforcement[];
}

export interface ListSanctionsInput {
  readonly realmId?: string;
  /** The game account id; needs `realmId` (account ids are unique per realm only). */
  readonly playerAccountId?: string;
  readonly type?: SanctionType;
  readonly active?: boolean;
  /** Sanctions issued from this case or ticket. */
  readonly ticketId?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface PageInput {
  readonly cursor?: string;
  readonly limit?: number;
}

/** What a game server's `resume` added to its stream besides the replay. */
export interface SanctionCatchUp {
  /** Active sanctions sent on its first connection (registered after they were issued). */
  readonly bootstrapped: number;
  /** Unacknowledged events sent again. */
  readonly redelivered: number;
}

/**
 * Issuing and lifting sanctions, and the game servers' acknowledgements. Every active server of
 * the realm gets the sanction in its durable stream and must acknowledge it; what is not
 * acknowledged is sent again when the server reconnects, unless the sanction was lifted or
 * expired since; a server registered later gets the realm's active sanctions when it first
 * connects.
 */
@Injectable()
export class SanctionsService {
  constructor(
    private readonly repository: SanctionsRepository,
    private readonly players: PlayersService,
    private readonly realms: RealmsService,
    private readonly events: ClientEventsService,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly transactions: TransactionRunner,
  ) {}

  async issue(
    actor: StaffPrincipal,
    input: IssueSanctionInput,
    idempotencyKey?: string,
  ): Promise<IssuedSanction> {
    if (!staffCoversRealm(actor, input.realmId)) {
      throw new PlayerError(PlayerErrorCode.PlayerNotFound, { realmId: input.realmId });
    }
    const player = await this.players.findByAccount(input.realmId, input.playerAccountId);
    if (!player) {
      throw new PlayerError(PlayerErrorCode.PlayerNotFound, {
        realmId: input.realmId,
        accountId: input.playerAccountId,
      });
    }
    if (input.ticketId !== undefined) {
      await this.requireLinkableTicket(actor, input.realmId, input.ticketId);
    }
    const result = await this.idempotency.run(
      { scope: `${principalKey(actor)}:sanctions`, key: idempotencyKey, request: input },
      async (manager) => {
        // Before the server list is read: a server's first-connection bootstrap waits for this
        // transaction, so a server registered meanwhile gets the sanction one way or the other.
        await this.repository.holdRealmLock(input.realmId, 'shared', manager);
        const startsAt = new Date();
        const sanction = await this.repository.insert(
          {
            realmId: input.realmId,
            playerId: player.id,
            type: input.type,
            publicReason: input.publicReason,
            privateReason: input.privateReason ?? null,
            startsAt,
            expiresAt: input.durationMinutes
              ? new Date(startsAt.getTime() + input.durationMinutes * 60_000)
              : null,
            issuedBy: actor.staffId,
            ticketId: input.ticketId ?? null,
          },
          manager,
        );
        const servers = await this.realms.activeGameServerIds(input.realmId, manager);
        await this.announce(manager, sanction, player.accountId, 'issued', servers, false);
        await this.audit.record(
          actor,
          {
            action: 'sanction.issue',
            targetType: 'sanction',
            targetId: sanction.id,
            realmId: sanction.realmId,
            after: { ...input, expiresAt: sanction.expiresAt },
          },
          manager,
        );
        return { status: 201, body: { sanctionId: sanction.id } };
      },
    );
    return {
      ...(await this.getForStaff(actor, result.body.sanctionId)),
      replayed: result.replayed,
    };
  }

  /**
   * Lifts a sanction: every active server of the realm gets `sanction.revoked`, and an `issued`
   * a server has not acknowledged yet is superseded, so it is never sent to it again (after the
   * revocation, it would make the server enforce a lifted sanction).
   */
  async revoke(actor: StaffPrincipal, sanctionId: string, reason: string): Promise<IssuedSanction> {
    // Read first for its realm: the realm lock comes before the row lock, as in a bootstrap.
    const found = await this.repository.findById(sanctionId, realmScopeOf(actor));
    if (!found) {
      throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
    }
    return this.transactions.run(async (manager) => {
      await this.repository.holdRealmLock(found.realmId, 'shared', manager);
      const sanction = await this.repository.lockById(sanctionId, realmScopeOf(actor), manager);
      if (!sanction) {
        throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
      }
      if (sanction.revokedAt) {
        throw new SanctionError(SanctionErrorCode.AlreadyRevoked, { sanctionId });
      }
      const revokedAt = new Date();
      await this.repository.markRevoked(
        sanction.id,
        { by: actor.staffId, at: revokedAt, reason },
        manager,
      );
      // Before any stream is touched: waiting here on a redelivery's row lock holds no stream.
      await this.repository.supersedePendingIssues(sanction.id, 'revoked', revokedAt, manager);
      const [player] = await this.players.findByIdsInTransaction([sanction.playerId], manager);
      const accountId = player?.accountId ?? '';
      await this.announce(
        manager,
        sanction,
        accountId,
        'revoked',
        await this.realms.activeGameServerIds(sanction.realmId, manager),
        false,
      );
      await this.audit.record(
        actor,
        {
          action: 'sanction.revoke',
          targetType: 'sanction',
          targetId: sanction.id,
          realmId: sanction.realmId,
          before: { revokedAt: null },
          after: { revokedAt, reason },
        },
        manager,
      );
      return {
        ...viewOf(
          { ...sanction, revokedAt, revokedBy: actor.staffId, revokeReason: reason },
          accountId,
        ),
        replayed: false,
      };
    });
  }

  async getForStaff(viewer: StaffPrincipal, sanctionId: string): Promise<SanctionView> {
    const sanction = await this.repository.findById(sanctionId, realmScopeOf(viewer));
    if (!sanction) {
      throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
    }
    const [player] = await this.players.findByIds([sanction.playerId]);
    return viewOf(sanction, player?.accountId ?? '');
  }

  /** One sanction with where each game server of its realm stands with it. */
  async detailForStaff(viewer: StaffPrincipal, sanctionId: string): Promise<SanctionDetail> {
    const view = await this.getForStaff(viewer, sanctionId);
    const rows = await this.repository.enforcement(view.sanction, view.active);
    return { ...view, enforcement: rows.map(toEnforcement) };
  }

  /** Staff search within their realms, newest first. */
  async list(viewer: StaffPrincipal, input: ListSanctionsInput): Promise<Page<SanctionView>> {
    if (input.playerAccountId !== undefined && input.realmId === undefined) {
      throw new CommonError(
        CommonErrorCode.ValidationFailed,
        'Invalid request: playerId needs realmId (account ids are unique per realm).',
        [{ field: 'playerId', problem: 'needs realmId' }],
      );
    }
    const after = parseCursor('all', input.cursor);
    let playerId: string | undefined;
    if (input.playerAccountId !== undefined && input.realmId !== undefined) {
      const player = await this.players.findByAccount(input.realmId, input.playerAccountId);
      if (!player) {
        return { items: [], nextCursor: null };
      }
      playerId = player.id;
    }
    const limit = input.limit ?? 25;
    const rows = await this.repository.list(
      {
        realmId: input.realmId,
        playerId,
        type: input.type,
        active: input.active,
        ticketId: input.ticketId,
      },
      realmScopeOf(viewer),
      new Date(),
      after,
      limit + 1,
    );
    return this.page('all', rows, limit);
  }

  /**
   * What a game server of the realm must enforce now, oldest first: how a server bootstraps (or
   * re-syncs) its sanctions. Staff of the realm may read it too; anyone else gets "not found".
   */
  async listActive(
    viewer: GameServerPrincipal | StaffPrincipal,
    realmId: string,
    input: PageInput,
  ): Promise<Page<SanctionView>> {
    const allowed =
      viewer.kind === 'game_server'
        ? viewer.realmId === realmId
        : staffCoversRealm(viewer, realmId);
    if (!allowed) {
      throw new RealmError(RealmErrorCode.RealmNotFound, { realmId });
    }
    const after = parseCursor('active', input.cursor);
    await this.realms.requireRealm(realmId);
    const limit = input.limit ?? 25;
    const rows = await this.repository.listActive(realmId, new Date(), after, limit + 1);
    return this.page('active', rows, limit);
  }

  /**
   * A game server confirms it enforced (or lifted) a sanction; only its own pending ones exist
   * for it. The first acknowledgement tells staff consoles (`sanction.enforcement`), in the same
   * transaction, so the console's chip turns to enforced exactly when the database says so.
   */
  async acknowledge(
    server: GameServerPrincipal,
    sanctionId: string,
    action: SanctionAction,
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      const outcome = await this.repository.acknowledge(
        sanctionId,
        server.serverId,
        action,
        manager,
      );
      if (!outcome) {
        throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
      }
      if (outcome.first) {
        await this.events.toStaff(manager, 'sanction.enforcement', {
          sanctionId,
          realmId: outcome.realmId,
          playerId: outcome.playerAccountId,
          serverId: server.serverId,
          action,
          state: 'acked',
          at: outcome.ackedAt.toISOString(),
        });
      }
    });
  }

  /**
   * After a game server's `resume` (its replay is done, `deliveredUpTo` is the last seq it had
   * before): on its very first connection, the realm's active sanctions it never got (it was
   * registered after them); then, every event it received but never acknowledged, again.
   */
  async resumeDelivery(
    server: GameServerPrincipal,
    deliveredUpTo: number,
  ): Promise<SanctionCatchUp> {
    const synced = await this.repository.isServerSynced(server.serverId);
    return this.transactions.run(async (manager) => {
      // First: the exclusive realm lock must not be awaited while holding row locks (below) that
      // a revocation holding the shared one could be waiting for.
      const bootstrapped = synced ? 0 : await this.bootstrap(manager, server);
      const redelivered = await this.redeliver(manager, server, deliveredUpTo);
      return { bootstrapped, redelivered };
    });
  }

  /**
   * Sends a server the realm's active sanctions it never got, once per server. The exclusive
   * realm lock waits for issues and revocations in flight: an issue that read the server list
   * before this server existed has committed (so its sanction is found here), and a revocation
   * cannot slip in between reading a sanction as active and sending it.
   */
  private async bootstrap(manager: EntityManager, server: GameServerPrincipal): Promise<number> {
    await this.repository.holdRealmLock(server.realmId, 'exclusive', manager);
    if (!(await this.repository.claimServerSync(server.serverId, manager))) {
      return 0;
    }
    const missing = await this.repository.activeNotSentTo(
      server.serverId,
      server.realmId,
      new Date(),
      manager,
    );
    const accounts = await this.accountIds(missing, manager);
    for (const sanction of missing) {
      await this.announce(
        manager,
        sanction,
        accounts.get(sanction.playerId) ?? '',
        'issued',
        [server.serverId],
        false,
      );
    }
    await this.repository.recordServerSync(server.serverId, missing.length, manager);
    return missing.length;
  }

  /**
   * Sends again, in their original order, the events this server received but never
   * acknowledged. Ones it has not received yet (after `deliveredUpTo`) came with the replay. An
   * `issued` whose sanction was revoked or has expired since is superseded instead: re-sent after
   * the `revoked` (which the replay may just have delivered) it would re-impose a lifted sanction.
   */
  private async redeliver(
    manager: EntityManager,
    server: GameServerPrincipal,
    deliveredUpTo: number,
  ): Promise<number> {
    const pending = await this.repository.lockPending(server.serverId, deliveredUpTo, manager);
    if (pending.length === 0) {
      return 0;
    }
    const sanctions = new Map(
      (
        await this.repository.findByIds([...new Set(pending.map((ack) => ack.sanctionId))], manager)
      ).map((s) => [s.id, s]),
    );
    const accounts = await this.accountIds([...sanctions.values()], manager);
    const now = new Date();
    let sent = 0;
    for (const ack of pending) {
      const sanction = sanctions.get(ack.sanctionId);
      if (!sanction) {
        continue;
      }
      if (ack.action === 'issued') {
        const by = supersededBy(sanction, now);
        if (by) {
          await this.repository.supersedeIssue(sanction.id, server.serverId, by, now, manager);
          continue;
        }
      }
      await this.announce(
        manager,
        sanction,
        accounts.get(sanction.playerId) ?? '',
        ack.action,
        [server.serverId],
        true,
      );
      sent += 1;
    }
    return sent;
  }

  /**
   * The linked ticket must exist, be one the actor may see, and be in the sanction's realm. An
   * unknown id used to reach the foreign key (a 500) and another realm's ticket was accepted.
   */
  private async requireLinkableTicket(
    actor: StaffPrincipal,
    realmId: string,
    ticketId: string,
  ): Promise<void> {
    const ticketRealm = await this.repository.findTicketRealm(ticketId);
    if (ticketRealm === null || !staffCoversRealm(actor, ticketRealm)) {
      throw new TicketError(TicketErrorCode.TicketNotFound, { ticketId });
    }
    if (ticketRealm !== realmId) {
      throw new SanctionError(SanctionErrorCode.TicketOtherRealm, {
        ticketId,
        ticketRealmId: ticketRealm,
        realmId,
      });
    }
  }

  private async accountIds(
    sanctions: readonly SanctionEntity[],
    manager: EntityManager,
  ): Promise<Map<string, string>> {
    const players = await this.players.findByIdsInTransaction(
      [...new Set(sanctions.map((s) => s.playerId))],
      manager,
    );
    return new Map(players.map((p) => [p.id, p.accountId]));
  }

  private async page(
    kind: CursorKind,
    rows: readonly SanctionEntity[],
    limit: number,
  ): Promise<Page<SanctionView>> {
    const items = rows.slice(0, limit);
    const players = new Map(
      (await this.players.findByIds([...new Set(items.map((s) => s.playerId))])).map((p) => [
        p.id,
        p.accountId,
      ]),
    );
    const last = items.at(-1);
    const now = new Date();
    return {
      items: items.map((sanction) => viewOf(sanction, players.get(sanction.playerId) ?? '', now)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor([kind, last.createdAt.toISOString(), last.id])
          : null,
    };
  }

  private async announce(
    manager: EntityManager,
    sanction: SanctionEntity,
    playerAccountId: string,
    action: SanctionAction,
    serverIds: readonly string[],
    redelivery: boolean,
  ): Promise<void> {
    const event: SanctionEvent = {
      sanctionId: sanction.id,
      playerId: playerAccountId,
      type: sanction.type,
      publicReason: sanction.publicReason,
      startsAt: sanction.startsAt.toISOString(),
      expiresAt: sanction.expiresAt?.toISOString() ?? null,
      redelivery,
    };
    for (const serverId of serverIds) {
      const { seq } = await this.events.toGameServer(
        manager,
        serverId,
        action === 'issued' ? 'sanction.issued' : 'sanction.revoked',
        event,
      );
      await this.repository.expectAck(sanction.id, serverId, action, seq, manager);
    }
  }

  /**
   * Whether action was taken on a moderation case: a sanction on its subject, linked to the case
   * and not revoked (an expired one still counts). Closing the case upholds its reports then.
   */
  actionTakenOnCase(ticketId: string, playerId: string, manager: EntityManager): Promise<boolean> {
    return this.repository.existsActiveForCase(ticketId, playerId, manager);
  }
}

type CursorKind = 'all' | 'active';

/** Cursors name their listing, so one from the staff search is refused by the active listing. */
function parseCursor(kind: CursorKind, cursor: string | undefined): SanctionPosition | null {
  if (cursor === undefined) {
    return null;
  }
  const values = decodeCursor(cursor);
  if (values?.length === 3) {
    const [tag, createdAt, id] = values;
    if (tag === kind && isCursorTimestamp(createdAt) && isCursorUuid(id)) {
      return { createdAt, id };
    }
  }
  throw new CommonError(CommonErrorCode.ValidationFailed, 'The cursor is not valid.', [
    { field: 'cursor', problem: 'is not a cursor this listing issued' },
  ]);
}

function viewOf(sanction: SanctionEntity, playerAccountId: string, now = new Date()): SanctionView {
  return { sanction, playerAccountId, active: isActive(sanction, now) };
}

function supersededBy(sanction: SanctionEntity, now: Date): SupersededBy | null {
  if (sanction.revokedAt) {
    return 'revoked';
  }
  return hasExpired(sanction, now) ? 'expired' : null;
}

function toEnforcement(row: EnforcementRow): ServerEnforcement {
  let status: SanctionEnforcementStatus;
  if (row.action === null) {
    status = 'not_sent';
  } else if (row.ackedAt) {
    status = 'acked';
  } else if (row.supersededAt) {
    status = 'superseded';
  } else {
    status = 'pending';
  }
  return {
    serverId: row.serverId,
    serverName: row.serverName,
    action: row.action,
    status,
    sentAt: row.sentAt,
    ackedAt: row.ackedAt,
    supersededBy: row.supersededBy,
  };
}

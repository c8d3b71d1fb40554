import type { SanctionAction, SanctionEvent, SanctionType } from '@gmdesk/contracts';
import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
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
import { RealmsService } from '../realms/realms.service';
import { SanctionEntity } from './sanction.entity';
import { SanctionError, SanctionErrorCode } from './sanctions.errors';
import { SanctionsRepository } from './sanctions.repository';

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

export interface IssuedSanction {
  readonly sanction: SanctionEntity;
  readonly playerAccountId: string;
  readonly replayed: boolean;
}

/**
 * Issuing and lifting sanctions, and the game servers' acknowledgements. Every active server of
 * the realm gets the sanction in its durable stream and must acknowledge it; what is not
 * acknowledged is sent again when the server reconnects.
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
    const result = await this.idempotency.run(
      { scope: `${principalKey(actor)}:sanctions`, key: idempotencyKey, request: input },
      async (manager) => {
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

  revoke(actor: StaffPrincipal, sanctionId: string): Promise<IssuedSanction> {
    return this.transactions.run(async (manager) => {
      const sanction = await this.repository.lockById(sanctionId, realmScopeOf(actor), manager);
      if (!sanction) {
        throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
      }
      if (sanction.revokedAt) {
        throw new SanctionError(SanctionErrorCode.AlreadyRevoked, { sanctionId });
      }
      const revokedAt = new Date();
      await this.repository.markRevoked(sanction.id, actor.staffId, revokedAt, manager);
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
          after: { revokedAt },
        },
        manager,
      );
      return {
        sanction: { ...sanction, revokedAt, revokedBy: actor.staffId },
        playerAccountId: accountId,
        replayed: false,
      };
    });
  }

  async getForStaff(
    viewer: StaffPrincipal,
    sanctionId: string,
  ): Promise<Omit<IssuedSanction, 'replayed'>> {
    const sanction = await this.repository.findById(sanctionId, realmScopeOf(viewer));
    if (!sanction) {
      throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
    }
    const [player] = await this.players.findByIds([sanction.playerId]);
    return { sanction, playerAccountId: player?.accountId ?? '' };
  }

  /** A game server confirms it enforced (or lifted) a sanction; only its own pending ones exist for it. */
  async acknowledge(
    server: GameServerPrincipal,
    sanctionId: string,
    action: SanctionAction,
  ): Promise<void> {
    if (!(await this.repository.acknowledge(sanctionId, server.serverId, action))) {
      throw new SanctionError(SanctionErrorCode.SanctionNotFound, { sanctionId });
    }
  }

  /**
   * After a reconnect: sends again every sanction this server received but never acknowledged.
   * Ones it has not received yet (after `deliveredUpTo`) come with the normal replay instead.
   */
  redeliverUnacknowledged(server: GameServerPrincipal, deliveredUpTo: number): Promise<number> {
    return this.transactions.run(async (manager) => {
      const pending = (await this.repository.pendingFor(server.serverId, manager)).filter(
        (ack) => ack.streamSeq <= deliveredUpTo,
      );
      const sanctions = new Map(
        (
          await this.repository.findByIds(
            [...new Set(pending.map((ack) => ack.sanctionId))],
            manager,
          )
        ).map((s) => [s.id, s]),
      );
      const players = new Map(
        (
          await this.players.findByIdsInTransaction(
            [...new Set([...sanctions.values()].map((s) => s.playerId))],
            manager,
          )
        ).map((p) => [p.id, p]),
      );
      for (const ack of pending) {
        const sanction = sanctions.get(ack.sanctionId);
        if (sanction) {
          const accountId = players.get(sanction.playerId)?.accountId ?? '';
          await this.announce(manager, sanction, accountId, ack.action, [server.serverId], true);
        }
      }
      return pending.length;
    });
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

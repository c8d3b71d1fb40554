import {
  streams,
  type GameServerEvents,
  type PlayerEvents,
  type StaffEvents,
  type TicketSummaryEvent,
} from '@gmdesk/contracts';
import { runAfterCommit } from '@gmdesk/db';
import { DeliveryService } from '@gmdesk/delivery';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PlayerEntity } from '../players/player.entity';
import type { TicketEntity } from '../tickets/ticket.entity';
import { RevocationBus, type RevocationSubject } from './revocation-bus';

/**
 * Typed writes into recipients' durable streams. Always called inside the transaction of the change
 * that causes the event, so the event exists exactly when the change does (DESIGN §4).
 */
@Injectable()
export class ClientEventsService {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly revocations: RevocationBus,
  ) {}

  /**
   * To a player's own stream; and, when a game server says the player is online on it, as
   * `player.notify` to that server too, for clients that only talk to their game server.
   */
  async toPlayer<E extends keyof PlayerEvents>(
    manager: EntityManager,
    player: Pick<PlayerEntity, 'realmId' | 'accountId' | 'onlineServerId'>,
    event: E,
    data: PlayerEvents[E],
  ): Promise<void> {
    await this.delivery.append(
      manager,
      streams.player(player.realmId, player.accountId),
      event,
      data,
    );
    if (player.onlineServerId) {
      await this.toGameServer(manager, player.onlineServerId, 'player.notify', {
        playerId: player.accountId,
        event,
        data,
      });
    }
  }

  /** Shared by every staff-visible write: the event gets its seq at COMMIT (see appendAtCommit). */
  async toStaff<E extends keyof StaffEvents>(
    manager: EntityManager,
    event: E,
    data: StaffEvents[E],
  ): Promise<void> {
    await this.delivery.appendAtCommit(manager, streams.staff(), event, data);
  }

  /** Returns the event's position in the server's stream (to match acknowledgements to it). */
  toGameServer<E extends keyof GameServerEvents>(
    manager: EntityManager,
    serverId: string,
    event: E,
    data: GameServerEvents[E],
  ): Promise<{ epoch: string; seq: number }> {
    return this.delivery.append(manager, streams.gameServer(serverId), event, data);
  }

  /**
   * Asks every process to re-check what it derived from a game server's key, a staff account,
   * or (after a player-token secret rotation) a realm's player tokens: gateways end live sessions
   * that no longer hold, and credential caches forget them. Other processes hear it through
   * NOTIFY on commit; this process at once after the commit, before the caller is answered.
   */
  announceRevocation(
    manager: EntityManager,
    subject: Exclude<RevocationSubject, '*'>,
  ): Promise<void> {
    runAfterCommit(() => this.revocations.publish(subject));
    return this.delivery.announceRevocation(manager, subject);
  }
}

/** The queue row staff consoles keep live. */
export function ticketSummary(ticket: TicketEntity, change: string): TicketSummaryEvent {
  return {
    ticketId: ticket.id,
    realmId: ticket.realmId,
    kind: ticket.kind,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    subject: ticket.subject,
    assigneeId: ticket.assigneeStaffId,
    change,
  };
}

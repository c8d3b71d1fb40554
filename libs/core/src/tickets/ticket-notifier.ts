import type { TicketStatus } from '@gmdesk/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClientEventsService, ticketSummary } from '../notifications/client-events.service';
import { PlayersService } from '../players/players.service';
import type { TicketMessageEntity } from './ticket-message.entity';
import type { TicketEntity } from './ticket.entity';

/**
 * Who hears about a ticket change, written into their durable streams in the change's own
 * transaction: the staff queue always; the player who opened a support ticket when a GM answers
 * publicly or the status moves. Internal notes never reach a player.
 */
@Injectable()
export class TicketNotifier {
  constructor(
    private readonly events: ClientEventsService,
    private readonly players: PlayersService,
  ) {}

  opened(manager: EntityManager, ticket: TicketEntity): Promise<void> {
    return this.events.toStaff(manager, 'ticket.created', ticketSummary(ticket, 'opened'));
  }

  // Every look-up happens before the first append: an append locks the stream's counter row (the
  // staff stream is shared) until commit, so the lock is held as briefly as possible.

  /** `authorName`: the GM's display name shown with a public reply (null for other messages). */
  async messageAdded(
    manager: EntityManager,
    ticket: TicketEntity,
    message: TicketMessageEntity,
    statusAfter: TicketStatus,
    authorName: string | null,
  ): Promise<void> {
    const after = { ...ticket, status: statusAfter };
    const change =
      message.authorType === 'player'
        ? 'player_message'
        : message.visibility === 'internal'
          ? 'internal_note'
          : 'reply';
    const publicStaffReply = message.authorType === 'staff' && message.visibility === 'public';
    const statusChanged = statusAfter !== ticket.status;
    const requester =
      publicStaffReply || statusChanged ? await this.requesterOf(ticket, manager) : null;

    await this.events.toStaff(manager, 'ticket.updated', ticketSummary(after, change));
    if (requester && publicStaffReply) {
      await this.events.toPlayer(manager, requester, 'ticket.reply', {
        ticketId: ticket.id,
        messageId: message.id,
        body: message.body,
        authorName: authorName ?? 'Support',
        createdAt: message.createdAt.toISOString(),
      });
    }
    if (requester && statusChanged) {
      await this.events.toPlayer(manager, requester, 'ticket.status', {
        ticketId: ticket.id,
        status: statusAfter,
      });
    }
  }

  async changed(
    manager: EntityManager,
    before: TicketEntity,
    after: TicketEntity,
    change: string,
  ): Promise<void> {
    const requester =
      after.status !== before.status ? await this.requesterOf(after, manager) : null;
    await this.events.toStaff(manager, 'ticket.updated', ticketSummary(after, change));
    if (requester) {
      await this.events.toPlayer(manager, requester, 'ticket.status', {
        ticketId: after.id,
        status: after.status,
      });
    }
  }

  private async requesterOf(ticket: TicketEntity, manager: EntityManager) {
    if (ticket.kind !== 'support' || !ticket.requesterPlayerId) {
      return null;
    }
    const [requester] = await this.players.findByIdsInTransaction(
      [ticket.requesterPlayerId],
      manager,
    );
    return requester ?? null;
  }
}

import type { TicketStatus } from '@gmdesk/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClientEventsService, ticketSummary } from '../notifications/client-events.service';
import type { PlayerEntity } from '../players/player.entity';
import type { TicketMessageEntity } from './ticket-message.entity';
import type { TicketEntity } from './ticket.entity';
import type { LockedTicket } from './tickets.repository';

/**
 * Who hears about a ticket change, written into their durable streams in the change's own
 * transaction: the staff queue always; the player who opened a support ticket when a GM answers
 * publicly or the status moves. Internal notes never reach a player.
 */
@Injectable()
export class TicketNotifier {
  constructor(private readonly events: ClientEventsService) {}

  opened(manager: EntityManager, ticket: TicketEntity): Promise<void> {
    return this.events.toStaff(manager, 'ticket.created', ticketSummary(ticket, 'opened'));
  }

  // The player's stream is appended to in the transaction (its counter row stays locked until
  // commit); the shared staff stream gets its seq at commit (DeliveryService.appendAtCommit).

  /** `authorName`: the GM's display name shown with a public reply (null for other messages). */
  async messageAdded(
    manager: EntityManager,
    ticket: LockedTicket,
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
    const requester = publicStaffReply || statusChanged ? requesterOf(ticket) : null;

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
    after: LockedTicket,
    change: string,
  ): Promise<void> {
    const requester = after.status !== before.status ? requesterOf(after) : null;
    await this.events.toStaff(manager, 'ticket.updated', ticketSummary(after, change));
    if (requester) {
      await this.events.toPlayer(manager, requester, 'ticket.status', {
        ticketId: after.id,
        status: after.status,
      });
    }
  }
}

/** The player who opened a support ticket, as the locked ticket row carries them. */
function requesterOf(
  ticket: LockedTicket,
): Pick<PlayerEntity, 'realmId' | 'accountId' | 'onlineServerId'> | null {
  if (ticket.kind !== 'support' || ticket.requesterAccountId === null) {
    return null;
  }
  return {
    realmId: ticket.realmId,
    accountId: ticket.requesterAccountId,
    onlineServerId: ticket.requesterOnlineServerId,
  };
}

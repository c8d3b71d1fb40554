import {
  EPHEMERAL_EVENTS,
  type Ack,
  type ColleagueTypingEvent,
  type PlayerTypingEvent,
  type PresenceEvent,
  type QueueWatchPayload,
  type QueueWatchResult,
  type StaffEvents,
  type StaffRequests,
  type TicketWatchResult,
} from '@gmdesk/contracts';
import { GmdeskClient, type GmdeskClientOptions, type RequestOptions } from './gmdesk-client';

export interface StaffEphemeralEvents {
  [EPHEMERAL_EVENTS.presence]: PresenceEvent;
  /** Another staff member is typing on a watched ticket. */
  [EPHEMERAL_EVENTS.staffTyping]: ColleagueTypingEvent;
  /** The player is typing in a watched support ticket. */
  [EPHEMERAL_EVENTS.playerTyping]: PlayerTypingEvent;
}

export interface StaffClientOptions extends GmdeskClientOptions {
  /**
   * The access token of `POST /auth/login` (or `/auth/refresh`), or a function returning the
   * current one: it is asked before every (re)connect, so a renewed token is used without making
   * a new client, and a session the gateway ended at token expiry reconnects with the new token.
   */
  readonly token: string | (() => string | Promise<string>);
}

/**
 * The staff console's client (`/staff`): the live queue, who is viewing a ticket, typing. Queue
 * filters and watched tickets belong to one connection on the server, so the client re-sends them
 * after every reconnect.
 */
export class StaffClient extends GmdeskClient<StaffEvents, StaffEphemeralEvents, StaffRequests> {
  private queueFilters: QueueWatchPayload | undefined;
  private readonly watchedTickets = new Set<string>();

  constructor(options: StaffClientOptions) {
    const { token } = options;
    super(
      '/staff',
      typeof token === 'function' ? async () => ({ token: await token() }) : { token },
      options,
    );
  }

  /** Narrows the queue events this connection receives (`{}` for everything in your realms). */
  async watchQueue(
    filters: QueueWatchPayload = {},
    options?: RequestOptions,
  ): Promise<Ack<QueueWatchResult>> {
    const ack = await this.request('queue.watch', filters, options);
    if (ack.ok) {
      this.queueFilters = filters;
    }
    return ack;
  }

  /** Joins the ticket's viewers: `presence` events follow; the ack carries the current viewers. */
  async watchTicket(ticketId: string, options?: RequestOptions): Promise<Ack<TicketWatchResult>> {
    const ack = await this.request('ticket.watch', { ticketId }, options);
    if (ack.ok) {
      this.watchedTickets.add(ticketId);
    }
    return ack;
  }

  unwatchTicket(ticketId: string, options?: RequestOptions): Promise<Ack> {
    // Forgotten first: even if this request fails, a reconnect must not watch the ticket again.
    this.watchedTickets.delete(ticketId);
    return this.request('ticket.unwatch', { ticketId }, options);
  }

  /**
   * Shows the player that staff is typing an answer, and the ticket's other staff viewers who is
   * (ephemeral, never stored). Send it every few seconds while typing, not on every key.
   */
  typing(
    ticketId: string,
    options?: RequestOptions & { readonly internal?: boolean },
  ): Promise<Ack> {
    return this.request(
      'typing',
      { ticketId, ...(options?.internal && { internal: true }) },
      options,
    );
  }

  protected override async restoreSession(): Promise<void> {
    const filters = this.queueFilters;
    const tickets = [...this.watchedTickets];
    const [queueAck, ...ticketAcks] = await Promise.all([
      filters ? this.request('queue.watch', filters) : undefined,
      ...tickets.map((ticketId) => this.request('ticket.watch', { ticketId })),
    ]);
    if (queueAck && !queueAck.ok) {
      this.reportError(new Error(`Could not restore the queue filters: ${queueAck.error.code}`));
    }
    ticketAcks.forEach((ack, index) => {
      if (ack && !ack.ok) {
        // E.g. the ticket left the staff member's realms: stop watching it rather than retrying.
        const ticketId = tickets[index];
        this.watchedTickets.delete(ticketId);
        this.reportError(new Error(`Could not watch ticket ${ticketId} again: ${ack.error.code}`));
      }
    });
  }
}

import {
  EPHEMERAL_EVENTS,
  type Ack,
  type PlayerEvents,
  type PlayerReportPayload,
  type PlayerRequests,
  type ReportFiledResult,
  type StaffTypingEvent,
  type TicketCreatePayload,
  type TicketMessageResult,
  type TicketOpenedResult,
} from '@gmdesk/contracts';
import { GmdeskClient, type GmdeskClientOptions, type RequestOptions } from './gmdesk-client';

export interface PlayerEphemeralEvents {
  [EPHEMERAL_EVENTS.staffTyping]: StaffTypingEvent;
}

export interface PlayerClientOptions extends GmdeskClientOptions {
  /** The player token the game backend signed (HS256 with the realm's secret). */
  readonly token: string;
}

/** The in-game client (`/player`): reports, support tickets, GM replies live or after a reconnect. */
export class PlayerClient extends GmdeskClient<
  PlayerEvents,
  PlayerEphemeralEvents,
  PlayerRequests
> {
  constructor(options: PlayerClientOptions) {
    super('/player', { token: options.token }, options);
  }

  /** A repeat against the same player merges into the open report (`outcome: 'merged'`). */
  fileReport(
    payload: PlayerReportPayload,
    options?: RequestOptions,
  ): Promise<Ack<ReportFiledResult>> {
    return this.request('report.create', payload, options);
  }

  openTicket(
    payload: TicketCreatePayload,
    options?: RequestOptions,
  ): Promise<Ack<TicketOpenedResult>> {
    return this.request('ticket.create', payload, options);
  }

  /** Pass the same `idempotencyKey` when retrying a send: the message is written once. */
  sendMessage(
    ticketId: string,
    body: string,
    options?: RequestOptions & { readonly idempotencyKey?: string },
  ): Promise<Ack<TicketMessageResult>> {
    const { idempotencyKey, ...requestOptions } = options ?? {};
    return this.request(
      'ticket.message',
      { ticketId, body, ...(idempotencyKey !== undefined && { idempotencyKey }) },
      requestOptions,
    );
  }
}

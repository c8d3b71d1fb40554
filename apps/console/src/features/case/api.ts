import type {
  MessageVisibility,
  PresenceEvent,
  TicketPriority,
  TicketStatus,
} from '@gmdesk/contracts';
import { api } from '../../lib/api-client';
import type { Ticket, TicketDetail, TicketMessage } from '../../types/api';

export const caseKeys = {
  all: ['case'] as const,
  details: () => [...caseKeys.all, 'detail'] as const,
  detail: (ticketId: string) => [...caseKeys.details(), ticketId] as const,
  /** Who else has the case open (the `presence` event; live only, never fetched). */
  presence: (ticketId: string) => [...caseKeys.all, 'presence', ticketId] as const,
  /** Who is typing on the case (`staff.typing`, `player.typing`; live only, never fetched). */
  typing: (ticketId: string) => [...caseKeys.all, 'typing', ticketId] as const,
};

export type Viewers = PresenceEvent['viewers'];

/** Someone typing on a case: a GM (by staff id) or the player (`key: 'player'`), until `until`. */
export interface Typist {
  readonly key: string;
  /** The GM's name; null for the player. */
  readonly displayName: string | null;
  /** A GM writing an internal note rather than a reply. */
  readonly internal: boolean;
  readonly until: number;
}
export type Typists = readonly Typist[];

const path = (ticketId: string, rest = ''): string =>
  `/tickets/${encodeURIComponent(ticketId)}${rest}`;

export function fetchTicket(ticketId: string, signal?: AbortSignal): Promise<TicketDetail> {
  return api<TicketDetail>('GET', path(ticketId), { signal });
}

export interface SendMessageInput {
  readonly body: string;
  readonly visibility: MessageVisibility;
  /** One per composed message, reused if the same send is retried. */
  readonly idempotencyKey: string;
}

export function sendMessage(ticketId: string, input: SendMessageInput): Promise<TicketMessage> {
  return api<TicketMessage>('POST', path(ticketId, '/messages'), {
    body: { body: input.body, visibility: input.visibility },
    idempotencyKey: input.idempotencyKey,
  });
}

export function changeStatus(ticketId: string, status: TicketStatus): Promise<Ticket> {
  return api<Ticket>('POST', path(ticketId, '/status'), { body: { status } });
}

export function changePriority(ticketId: string, priority: TicketPriority): Promise<Ticket> {
  return api<Ticket>('PATCH', path(ticketId), { body: { priority } });
}

export function assign(ticketId: string, assigneeId: string | null): Promise<Ticket> {
  return api<Ticket>('POST', path(ticketId, '/assign'), { body: { assigneeId } });
}

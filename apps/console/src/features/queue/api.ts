import {
  TICKET_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
} from '@gmdesk/contracts';
import { api } from '../../lib/api-client';
import type { Page, Ticket } from '../../types/api';

/** The queue's filters, kept in the URL (`/queue?kind=moderation&status=new,open`). */
export interface QueueFilters {
  readonly kind?: TicketKind;
  readonly status?: readonly TicketStatus[];
  readonly category?: string;
  readonly realmId?: string;
  readonly priority?: TicketPriority;
  /** A staff id, `me` or `none`. */
  readonly assignee?: string;
}

export const DEFAULT_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending'];
export const PAGE_SIZE = 100;

const pick = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (values as readonly string[]).includes(value)
    ? (value as T)
    : undefined;

const text = (value: unknown, max = 64): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

/** Parses the URL's search params leniently: an unknown value is dropped, never an error. */
export function parseQueueFilters(search: Record<string, unknown>): QueueFilters {
  const rawStatus = search.status;
  const statusList =
    typeof rawStatus === 'string'
      ? rawStatus.split(',')
      : Array.isArray(rawStatus)
        ? (rawStatus as unknown[])
        : [];
  const status = statusList
    .map((value) => pick(TICKET_STATUSES, value))
    .filter((value): value is TicketStatus => value !== undefined);
  return {
    kind: pick(TICKET_KINDS, search.kind),
    status: status.length > 0 ? status : undefined,
    category: text(search.category, 40),
    realmId: text(search.realmId),
    priority: pick(TICKET_PRIORITIES, search.priority),
    assignee: text(search.assignee),
  };
}

/** For the URL: defaults are left out so a plain /queue stays plain. */
export function serializeQueueFilters(filters: QueueFilters): Record<string, string | undefined> {
  return {
    kind: filters.kind,
    status: filters.status?.join(','),
    category: filters.category,
    realmId: filters.realmId,
    priority: filters.priority,
    assignee: filters.assignee,
  };
}

export const queueKeys = {
  all: ['queue'] as const,
  lists: () => [...queueKeys.all, 'list'] as const,
  list: (filters: QueueFilters, meId: string) =>
    [...queueKeys.lists(), { ...filters, meId }] as const,
  /** Tickets created live (ticket.created) that the lists have not shown yet. */
  arrivals: () => [...queueKeys.all, 'arrivals'] as const,
  /** Rows changed live: ticket id → what changed and when. */
  marks: () => [...queueKeys.all, 'marks'] as const,
};

export interface QueueMark {
  readonly change: string;
  readonly at: number;
}

export function fetchQueuePage(
  filters: QueueFilters,
  meId: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<Page<Ticket>> {
  return api<Page<Ticket>>('GET', '/tickets', {
    signal,
    query: {
      kind: filters.kind,
      status: filters.status ?? DEFAULT_STATUSES,
      category: filters.category,
      realmId: filters.realmId,
      priority: filters.priority,
      assignee: filters.assignee === 'me' ? meId : filters.assignee,
      sort: 'queue',
      limit: PAGE_SIZE,
      cursor: cursor ?? undefined,
    },
  });
}

export function assignTicket(ticketId: string, assigneeId: string | null): Promise<Ticket> {
  return api<Ticket>('POST', `/tickets/${encodeURIComponent(ticketId)}/assign`, {
    body: { assigneeId },
  });
}

/** Whether a ticket (or a live summary of one) belongs in a list with these filters. */
export function matchesFilters(
  ticket: {
    readonly kind: TicketKind;
    readonly status: TicketStatus;
    readonly priority: TicketPriority;
    readonly realmId: string;
    readonly category: string;
    readonly assigneeId?: string | null;
  },
  filters: QueueFilters,
  meId: string,
): boolean {
  const statuses = filters.status ?? DEFAULT_STATUSES;
  const assignee = filters.assignee === 'me' ? meId : filters.assignee;
  return (
    (!filters.kind || ticket.kind === filters.kind) &&
    statuses.includes(ticket.status) &&
    (!filters.priority || ticket.priority === filters.priority) &&
    (!filters.realmId || ticket.realmId === filters.realmId) &&
    (!filters.category || ticket.category === filters.category) &&
    (!assignee || (assignee === 'none' ? !ticket.assigneeId : ticket.assigneeId === assignee))
  );
}

import type { TicketStatus } from '@gmdesk/contracts';

/**
 * The ticket state machine (DESIGN §2): new → open → pending → solved → closed, with reopen from
 * solved. Closed is final: a player who writes again gets a new ticket.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'solved'],
  open: ['pending', 'solved'],
  pending: ['open', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export function isOpenStatus(status: TicketStatus): boolean {
  return status === 'new' || status === 'open' || status === 'pending';
}

/** Where a public message moves a ticket by itself: staff answering, or the player writing back. */
export function statusAfterPublicMessage(
  current: TicketStatus,
  author: 'player' | 'staff',
): TicketStatus {
  if (author === 'staff') {
    return current === 'new' ? 'open' : current;
  }
  return current === 'pending' || current === 'solved' ? 'open' : current;
}

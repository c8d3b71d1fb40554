import { DomainError } from '../common/domain-error';

export enum TicketErrorCode {
  TicketNotFound = 'ticket_not_found',
  InvalidTransition = 'ticket_invalid_transition',
  TicketClosed = 'ticket_closed',
  AssigneeNotFound = 'assignee_not_found',
  NotAParticipant = 'ticket_reply_forbidden',
  CaseConflict = 'ticket_case_conflict',
}

const MESSAGES: Record<TicketErrorCode, string> = {
  [TicketErrorCode.TicketNotFound]: 'No such ticket.',
  [TicketErrorCode.InvalidTransition]:
    'The ticket cannot move to that status from its current one.',
  [TicketErrorCode.TicketClosed]: 'The ticket is closed; open a new one.',
  [TicketErrorCode.AssigneeNotFound]:
    'The assignee is not an active staff member working in this realm.',
  [TicketErrorCode.NotAParticipant]: 'Only the player who opened a support ticket can write in it.',
  [TicketErrorCode.CaseConflict]:
    'A newer case about this player and category is open; work on that one instead of reopening.',
};

export class TicketError extends DomainError<TicketErrorCode> {
  constructor(code: TicketErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

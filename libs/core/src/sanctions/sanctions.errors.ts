import { DomainError } from '../common/domain-error';

export enum SanctionErrorCode {
  SanctionNotFound = 'sanction_not_found',
  AlreadyRevoked = 'sanction_already_revoked',
  /** The linked ticket exists and the actor may see it, but it belongs to another realm (422). */
  TicketOtherRealm = 'sanction_ticket_other_realm',
}

const MESSAGES: Record<SanctionErrorCode, string> = {
  [SanctionErrorCode.SanctionNotFound]: 'No such sanction.',
  [SanctionErrorCode.AlreadyRevoked]: 'The sanction was already revoked.',
  [SanctionErrorCode.TicketOtherRealm]:
    'The ticket belongs to another realm than the sanction; link a ticket of the same realm.',
};

export class SanctionError extends DomainError<SanctionErrorCode> {
  constructor(code: SanctionErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

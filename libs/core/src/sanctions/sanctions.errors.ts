import { DomainError } from '../common/domain-error';

export enum SanctionErrorCode {
  SanctionNotFound = 'sanction_not_found',
  AlreadyRevoked = 'sanction_already_revoked',
}

const MESSAGES: Record<SanctionErrorCode, string> = {
  [SanctionErrorCode.SanctionNotFound]: 'No such sanction.',
  [SanctionErrorCode.AlreadyRevoked]: 'The sanction was already revoked.',
};

export class SanctionError extends DomainError<SanctionErrorCode> {
  constructor(code: SanctionErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

import { DomainError } from '../common/domain-error';

export enum StaffErrorCode {
  StaffNotFound = 'staff_not_found',
  StaffConflict = 'staff_conflict',
  InvalidCredentials = 'invalid_credentials',
  CannotChangeSelf = 'staff_self_change_forbidden',
}

const MESSAGES: Record<StaffErrorCode, string> = {
  [StaffErrorCode.StaffNotFound]: 'No such staff member.',
  [StaffErrorCode.StaffConflict]: 'That username is taken.',
  [StaffErrorCode.InvalidCredentials]: 'Wrong username or password.',
  [StaffErrorCode.CannotChangeSelf]: 'You cannot disable or demote your own account.',
};

export class StaffError extends DomainError<StaffErrorCode> {
  constructor(code: StaffErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

import { DomainError } from '../common/domain-error';

export enum StaffErrorCode {
  StaffNotFound = 'staff_not_found',
  StaffConflict = 'staff_conflict',
  InvalidCredentials = 'invalid_credentials',
  CannotChangeSelf = 'staff_self_change_forbidden',
  RealmsForbidden = 'staff_realms_forbidden',
}

const MESSAGES: Record<StaffErrorCode, string> = {
  [StaffErrorCode.StaffNotFound]: 'No such staff member.',
  [StaffErrorCode.StaffConflict]: 'That username is taken.',
  [StaffErrorCode.InvalidCredentials]: 'Wrong username or password.',
  [StaffErrorCode.CannotChangeSelf]: 'You cannot disable or demote your own account.',
  [StaffErrorCode.RealmsForbidden]:
    'You can only give staff realms you work in yourself; only an admin of every realm can grant all realms.',
};

export class StaffError extends DomainError<StaffErrorCode> {
  constructor(code: StaffErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

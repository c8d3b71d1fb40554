import { DomainError } from '../common/domain-error';

export enum RealmErrorCode {
  RealmNotFound = 'realm_not_found',
  RealmConflict = 'realm_conflict',
  GameServerNotFound = 'game_server_not_found',
  RealmCreateForbidden = 'realm_create_forbidden',
}

const MESSAGES: Record<RealmErrorCode, string> = {
  [RealmErrorCode.RealmNotFound]: 'No such realm.',
  [RealmErrorCode.RealmConflict]: 'A realm with this id already exists.',
  [RealmErrorCode.GameServerNotFound]: 'No such game server.',
  [RealmErrorCode.RealmCreateForbidden]:
    'Only an admin of every realm can create realms; your account is limited to some realms.',
};

export class RealmError extends DomainError<RealmErrorCode> {
  constructor(code: RealmErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

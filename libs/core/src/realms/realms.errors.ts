import { DomainError } from '../common/domain-error';

export enum RealmErrorCode {
  RealmNotFound = 'realm_not_found',
  RealmConflict = 'realm_conflict',
  GameServerNotFound = 'game_server_not_found',
}

const MESSAGES: Record<RealmErrorCode, string> = {
  [RealmErrorCode.RealmNotFound]: 'No such realm.',
  [RealmErrorCode.RealmConflict]: 'A realm with this id already exists.',
  [RealmErrorCode.GameServerNotFound]: 'No such game server.',
};

export class RealmError extends DomainError<RealmErrorCode> {
  constructor(code: RealmErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

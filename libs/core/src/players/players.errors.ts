import { DomainError } from '../common/domain-error';

export enum PlayerErrorCode {
  PlayerNotFound = 'player_not_found',
}

const MESSAGES: Record<PlayerErrorCode, string> = {
  [PlayerErrorCode.PlayerNotFound]: 'No such player.',
};

export class PlayerError extends DomainError<PlayerErrorCode> {
  constructor(code: PlayerErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

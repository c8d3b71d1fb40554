import { DomainError } from '../common/domain-error';

export enum ChatErrorCode {
  /** The same batch id was sent before with other lines. */
  BatchIdReused = 'chat_batch_id_reused',
  MessageNotFound = 'chat_message_not_found',
}

export class ChatError extends DomainError<ChatErrorCode> {
  constructor(code: ChatErrorCode, message: string, details?: unknown) {
    super(code, message, details);
  }
}

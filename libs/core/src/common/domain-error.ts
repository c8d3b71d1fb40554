/**
 * The base of every error a service throws on purpose. Transports map `code` to their own
 * shape (HTTP status + envelope, socket ack); services never know about HTTP or sockets.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  protected constructor(
    readonly code: Code,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Errors shared by every domain (access, validation, idempotency, rate limits). */
export enum CommonErrorCode {
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  ValidationFailed = 'validation_failed',
  IdempotencyKeyReused = 'idempotency_key_reused',
  RateLimited = 'rate_limited',
}

export class CommonError extends DomainError<CommonErrorCode> {
  constructor(code: CommonErrorCode, message: string, details?: unknown) {
    super(code, message, details);
  }
}

export class UnauthenticatedError extends DomainError<string> {
  constructor(
    code:
      | 'unauthenticated'
      | 'token_expired'
      | 'token_revoked'
      | 'token_lifetime_too_long'
      | 'key_revoked'
      | 'account_disabled',
    message: string,
  ) {
    super(code, message);
  }
}

/** A rate or cooldown rule said no; `retryAfterSeconds` becomes `Retry-After`. */
export class RateLimitedError extends DomainError<string> {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, { retryAfterSeconds });
  }
}

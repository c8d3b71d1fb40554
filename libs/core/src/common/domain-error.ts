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
    code: 'unauthenticated' | 'token_expired' | 'key_revoked' | 'account_disabled',
    message: string,
  ) {
    super(code, message);
  }
}

/** Try again later; `retryAfterSeconds` becomes `Retry-After` (REST) or `retryAfterMs` (ack). */
export abstract class RetryLaterError extends DomainError<string> {
  protected constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, { retryAfterSeconds });
  }
}

/** A rate or cooldown rule said no: the caller should slow down. */
export class RateLimitedError extends RetryLaterError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(code, message, retryAfterSeconds);
  }
}

/**
 * The platform cannot serve the request right now (no free database connection, the database
 * restarting, a deadlock victim): nothing was done, and the same request may be sent again.
 */
export class UnavailableError extends RetryLaterError {
  constructor(message: string, retryAfterSeconds = 1) {
    super('unavailable', message, retryAfterSeconds);
  }
}

/** SQLSTATEs after which nothing was committed and a retry can succeed. */
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
const RETRYABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/**
 * Recognises infrastructure failures a client should retry, so transports answer 503 with
 * Retry-After instead of a 500: pg-pool's acquire timeout, a refused or lost database
 * connection, and retryable SQLSTATEs (TypeORM keeps the driver's error as `driverError`).
 */
export function asUnavailableError(error: unknown): UnavailableError | null {
  if (!(error instanceof Error)) {
    return null;
  }
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const { code } = driver as { code?: unknown };
  if (error.message === 'timeout exceeded when trying to connect') {
    return new UnavailableError('The service is busy; no database connection became free in time.');
  }
  if (typeof code === 'string' && (RETRYABLE_SQLSTATES.has(code) || code.startsWith('08'))) {
    return new UnavailableError('The database could not complete the request; try again.');
  }
  if (typeof code === 'string' && RETRYABLE_SOCKET_CODES.has(code)) {
    return new UnavailableError('The database is not reachable right now; try again.', 5);
  }
  return null;
}

import type { ErrorBody } from '@gmdesk/contracts';
import { asUnavailableError, DomainError, RetryLaterError } from '@gmdesk/core';
import { ArgumentsHost, Catch, Logger, WsExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io';

/** The socket transport's error body, the same `{ code, message, details }` as REST. */
export function toErrorBody(thrown: unknown, logger: Logger): ErrorBody {
  const exception = asUnavailableError(thrown) ?? thrown;
  if (exception instanceof DomainError) {
    const error = exception as DomainError<string>;
    const details =
      error instanceof RetryLaterError
        ? { retryAfterMs: error.retryAfterSeconds * 1000, ...(error.details as object) }
        : (error.details ?? null);
    return { code: error.code, message: error.message, details };
  }
  const correlationId = randomUUID();
  logger.error({ err: exception, correlationId }, 'unhandled socket error');
  return { code: 'internal', message: 'Internal error', details: { correlationId } };
}

/**
 * Turns any error of a socket handler (validation, domain, unexpected) into the ack
 * `{ ok: false, error }`. Without an ack callback the client gets an `exception` event instead;
 * either way the connection stays up.
 */
@Catch()
export class WsAckFilter implements WsExceptionFilter {
  private readonly logger = new Logger('SocketError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toErrorBody(exception, this.logger);
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') {
      (ack as (body: unknown) => void)({ ok: false, error });
      return;
    }
    host.switchToWs().getClient<Socket>().emit('exception', { ok: false, error });
  }
}

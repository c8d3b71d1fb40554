import type { ErrorBody } from '@gmdesk/contracts';
import { asUnavailableError, DomainError, RetryLaterError } from '@gmdesk/core';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { httpStatusFor } from './error-status';
import { ERROR_CODE_LOCAL } from './failed-auth-limit';

/** Statuses Nest or Express raise themselves (unknown route, wrong method, …), as our codes. */
const HTTP_CODES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthenticated',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

/**
 * The one REST error mapping: every error leaves as `{ error: { code, message, details } }`.
 * Unknown errors become `internal` with a correlation id; the full error is logged once.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    const exception = asUnavailableError(thrown) ?? thrown;
    const { status, body } = this.toResponse(exception, request);
    if (exception instanceof RetryLaterError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    // The failed-authentication limit tells an expired token from a bad one by this.
    response.locals[ERROR_CODE_LOCAL] = body.code;
    if (!response.headersSent) {
      response.status(status).json({ error: body });
    }
  }

  private toResponse(exception: unknown, request: Request): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const error = exception as DomainError<string>;
      return {
        status: httpStatusFor(error.code),
        body: {
          code: error.code,
          message: error.message,
          details: error.details ?? null,
        },
      };
    }
    if (exception instanceof HttpException && exception.getStatus() === 503) {
      // Terminus's readiness answer: not ready is a state to report, not a bug to log.
      return {
        status: 503,
        body: {
          code: 'unavailable',
          message: 'Not ready to serve.',
          details: exception.getResponse(),
        },
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return {
        status,
        body: {
          code: HTTP_CODES[status] ?? 'bad_request',
          message: exception.message,
          details: null,
        },
      };
    }
    const requestId: unknown = (request as { id?: unknown }).id;
    const correlationId = typeof requestId === 'string' ? requestId : randomUUID();
    this.logger.error({ err: exception, correlationId }, 'unhandled error');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { code: 'internal', message: 'Internal error', details: { correlationId } },
    };
  }
}

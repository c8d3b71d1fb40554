import type { AppConfig } from '@gmdesk/config';
import { countsAsFailedAuthentication, FailureWindow } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Where the error filter leaves the code of the error it answered, for this limit to read. */
export const ERROR_CODE_LOCAL = 'errorCode';

/** Health probes come from the orchestrator's address and must keep answering. */
const EXEMPT_PATH = /^\/health(\/|$)/;

/**
 * Rate-limits failed authentication per client IP (guessing API keys, forging tokens, trying
 * passwords): after AUTH_FAILURE_LIMIT failed authentications within AUTH_FAILURE_WINDOW_SECONDS
 * (the 401s that countsAsFailedAuthentication counts: every one but an expired token, the same
 * rule as the socket handshake), every request from that IP gets 429 `rate_limited` with
 * `Retry-After` until the window has passed, whatever credential it carries. A 403 does not
 * count: the caller authenticated, and its own rate limit bounds what it does.
 * Runs before the body parser, so a blocked client costs no parsing. The count is this
 * process's own (like the per-minute limits); the IP is the socket's peer, so behind a reverse
 * proxy every client shares the proxy's address.
 */
export function useFailedAuthenticationLimit(app: INestApplication, config: AppConfig): void {
  const failures = new FailureWindow(
    config.authFailureLimit,
    config.authFailureWindowSeconds * 1000,
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (EXEMPT_PATH.test(request.path)) {
      next();
      return;
    }
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const blockedForMs = failures.blockedForMs(address);
    if (blockedForMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(blockedForMs / 1000));
      response.setHeader('Retry-After', String(retryAfterSeconds));
      response.status(429).json({
        error: {
          code: 'rate_limited',
          message: 'Too many failed authentications from your address; wait before trying again.',
          details: { retryAfterSeconds },
        },
      });
      return;
    }
    response.once('finish', () => {
      if (countsAsFailedAuthentication(response.locals[ERROR_CODE_LOCAL])) {
        failures.recordFailure(address);
      }
    });
    next();
  });
}

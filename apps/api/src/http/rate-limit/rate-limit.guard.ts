import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { principalKey, RateLimitedError } from '@gmdesk/core';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth.guard';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit.store';

const WINDOW_MS = 60_000;
const ANONYMOUS_LIMIT_KEY = 'gmdesk:anonymous-rate-limit';

/**
 * A stricter per-IP budget for an anonymous route (login): requests per minute, counted for this
 * route alone so that health probes do not eat into it.
 */
export const AnonymousRateLimit = (perMinute: number): MethodDecorator =>
  SetMetadata(ANONYMOUS_LIMIT_KEY, perMinute);

/**
 * REST rate limits: one budget per principal across every route (RATE_LIMIT_PER_MINUTE, or
 * GAME_SERVER_RATE_LIMIT_PER_MINUTE for game servers), or per route and client IP for anonymous
 * calls. Answers `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds), and 429
 * `rate_limited` with `Retry-After` once the budget is spent. Socket events have their own
 * budget in the gateway.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly store: RateLimitStore = new MemoryRateLimitStore();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') {
      return true;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const { principal } = request;
    let key: string;
    let limit: number;
    if (principal) {
      key = principalKey(principal);
      limit =
        principal.kind === 'game_server'
          ? this.config.gameServerRateLimitPerMinute
          : this.config.rateLimitPerMinute;
    } else {
      const handler = context.getHandler();
      key = `ip:${request.ip ?? 'unknown'}:${context.getClass().name}.${handler.name}`;
      limit =
        this.reflector.get<number | undefined>(ANONYMOUS_LIMIT_KEY, handler) ??
        this.config.rateLimitPerMinute;
    }
    const { count, resetInMs } = this.store.hit(key, WINDOW_MS, Date.now());
    const response = http.getResponse<Response>();
    const resetSeconds = Math.max(1, Math.ceil(resetInMs / 1000));
    response.setHeader('X-RateLimit-Limit', limit);
    response.setHeader('X-RateLimit-Remaining', Math.max(0, limit - count));
    response.setHeader('X-RateLimit-Reset', resetSeconds);
    if (count > limit) {
      throw new RateLimitedError('rate_limited', 'Too many requests; slow down.', resetSeconds);
    }
    return true;
  }
}

import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { principalKey, RateLimitedError } from '@gmdesk/core';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { GatewaySocket } from './socket-session';
import { TokenBucket } from './token-bucket';

/** Full buckets are forgotten once the map holds this many (a full bucket is a fresh one). */
const SWEEP_ABOVE = 10_000;

/**
 * Answers an over-eager client with `rate_limited` and `retryAfterMs` instead of doing the work.
 * The budget is per principal across all its connections (opening more sockets buys nothing):
 * SOCKET_EVENTS_PER_SECOND for players and staff, GAME_SERVER_EVENTS_PER_SECOND for game
 * servers, each with bursts of twice that. Nest makes one instance per app, shared by the three
 * namespaces; the budget is this process's own.
 */
@Injectable()
export class SocketRateLimitInterceptor implements NestInterceptor {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // One resume per connection is part of connecting, not traffic to budget.
    if (context.switchToWs().getPattern() === 'resume') {
      return next.handle();
    }
    const principal = context.switchToWs().getClient<GatewaySocket>().data.principal;
    const key = principalKey(principal);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const perSecond =
        principal.kind === 'game_server'
          ? this.config.gameServerEventsPerSecond
          : this.config.socketEventsPerSecond;
      this.sweep();
      bucket = new TokenBucket(perSecond * 2, perSecond);
      this.buckets.set(key, bucket);
    }
    const waitMs = bucket.take();
    if (waitMs > 0) {
      throw new RateLimitedError(
        'rate_limited',
        'Too many events; slow down.',
        Math.ceil(waitMs / 1000),
      );
    }
    return next.handle();
  }

  private sweep(now = Date.now()): void {
    if (this.buckets.size < SWEEP_ABOVE) {
      return;
    }
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(now)) {
        this.buckets.delete(key);
      }
    }
  }
}

import { RateLimitedError } from '@gmdesk/core';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Socket } from 'socket.io';
import { TokenBucket } from './token-bucket';

const BUCKETS = new WeakMap<Socket, TokenBucket>();
/** Per connection: bursts of 40 events, 20 a second sustained. */
const CAPACITY = 40;
const PER_SECOND = 20;

/** Answers an over-eager client with `rate_limited` and `retryAfterMs` instead of doing the work. */
@Injectable()
export class SocketRateLimitInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // One resume per connection is part of connecting, not traffic to budget.
    if (context.switchToWs().getPattern() === 'resume') {
      return next.handle();
    }
    const socket = context.switchToWs().getClient<Socket>();
    let bucket = BUCKETS.get(socket);
    if (!bucket) {
      bucket = new TokenBucket(CAPACITY, PER_SECOND);
      BUCKETS.set(socket, bucket);
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
}

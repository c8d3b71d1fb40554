import { principalKey, RateLimitedError } from '@gmdesk/core';
import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './auth.guard';

/** Rate limits per caller (principal), or per client IP for anonymous routes such as login. */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  /** REST only: socket events have their own per-connection budget in the gateway. */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    return context.getType() === 'http' ? super.canActivate(context) : Promise.resolve(true);
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as AuthenticatedRequest;
    return Promise.resolve(principal ? principalKey(principal) : `ip:${ip ?? 'unknown'}`);
  }

  /**
   * One budget per principal across every route, as RATE_LIMIT_PER_MINUTE promises: the
   * library's key is per route, which multiplied the limit by the number of routes. Anonymous
   * callers keep a budget per route and IP, so that health probes do not eat into login's own
   * stricter limit. A route that needs its own limit for signed-in callers should get a named
   * throttler of its own rather than a @Throttle override, which would count against this budget.
   */
  protected override generateKey(
    context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return tracker.startsWith('ip:')
      ? super.generateKey(context, tracker, throttlerName)
      : `${throttlerName}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(
      'rate_limited',
      'Too many requests; slow down.',
      Math.max(1, Math.ceil(detail.timeToBlockExpire)),
    );
  }
}

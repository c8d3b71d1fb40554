import { principalKey, RateLimitedError } from '@gmdesk/core';
import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './auth.guard';

/** Rate limits per caller (principal), or per client IP for anonymous routes such as login. */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as AuthenticatedRequest;
    return Promise.resolve(principal ? principalKey(principal) : `ip:${ip ?? 'unknown'}`);
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

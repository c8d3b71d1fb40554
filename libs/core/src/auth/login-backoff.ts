/**
 * Per-account login back-off (issue 11 §5), as pure rules; the AuthService stores the state.
 *
 * After `afterFailures` failed logins of one username, the next attempt must wait `baseSeconds`,
 * doubling with each further failure up to `maxSeconds`. While it waits, every attempt is refused
 * with 429 before the password is checked (the right password too), and does not count as a
 * failure: an attacker hammering a locked account does not extend the lock, so the real user
 * waits at most the current step. A successful login forgets the failures, and so does a day
 * without one.
 *
 * The trade-off: anyone who knows a username can keep that account waiting `maxSeconds` at a
 * time by failing once per step. The cap keeps that bounded (15 minutes by default), the per-IP
 * login limit slows it down, and every failure and lock is in the audit log with the caller's IP.
 * A permanent lockout would hand an attacker a switch that turns any GM off, so there is none.
 */
export interface LoginBackoffPolicy {
  readonly afterFailures: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

export interface LoginFailureState {
  readonly failures: number;
  readonly lastFailureAt: Date;
  readonly blockedUntil: Date | null;
}

/** Failures older than this are forgotten: the count starts again. */
export const FAILURE_MEMORY_MS = 24 * 3600 * 1000;

/** The state after one more failed attempt at `now`. */
export function afterFailedLogin(
  previous: LoginFailureState | null,
  now: Date,
  policy: LoginBackoffPolicy,
): LoginFailureState {
  const remembered =
    previous !== null && now.getTime() - previous.lastFailureAt.getTime() < FAILURE_MEMORY_MS
      ? previous.failures
      : 0;
  const failures = remembered + 1;
  const steps = failures - policy.afterFailures;
  if (steps < 0) {
    return { failures, lastFailureAt: now, blockedUntil: null };
  }
  // 2 ** steps grows fast; cap the exponent so the number stays finite before the min().
  const seconds = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(steps, 30));
  return { failures, lastFailureAt: now, blockedUntil: new Date(now.getTime() + seconds * 1000) };
}

/** Whole seconds until the next attempt is allowed, or null when one may try now. */
export function loginRetryAfterSeconds(
  state: Pick<LoginFailureState, 'blockedUntil'> | null,
  now: Date,
): number | null {
  const until = state?.blockedUntil?.getTime();
  if (until === undefined || until <= now.getTime()) {
    return null;
  }
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

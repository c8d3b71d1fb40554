import {
  afterFailedLogin,
  FAILURE_MEMORY_MS,
  loginRetryAfterSeconds,
  type LoginBackoffPolicy,
  type LoginFailureState,
} from './login-backoff';

const policy: LoginBackoffPolicy = { afterFailures: 5, baseSeconds: 30, maxSeconds: 900 };
const t0 = new Date('2026-01-01T12:00:00.000Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

/** The state after `count` failures one second apart, starting at t0. */
function failTimes(count: number): LoginFailureState {
  let state: LoginFailureState | null = null;
  for (let i = 0; i < count; i += 1) {
    state = afterFailedLogin(state, at(i * 1000), policy);
  }
  if (!state) {
    throw new Error('count must be at least 1');
  }
  return state;
}

describe('login back-off', () => {
  it('lets the first four failures through without any wait', () => {
    const state = failTimes(4);
    expect(state).toMatchObject({ failures: 4, blockedUntil: null });
    expect(loginRetryAfterSeconds(state, at(4000))).toBeNull();
  });

  it('makes the fifth failure start a wait of the base step', () => {
    const state = failTimes(5);
    expect(state.blockedUntil).toEqual(at(4000 + 30_000));
    expect(loginRetryAfterSeconds(state, at(4000))).toBe(30);
  });

  it('doubles the wait with each further failure', () => {
    const waits = [5, 6, 7, 8].map((count) => {
      const state = failTimes(count);
      return ((state.blockedUntil?.getTime() ?? 0) - state.lastFailureAt.getTime()) / 1000;
    });
    expect(waits).toEqual([30, 60, 120, 240]);
  });

  it('never waits longer than the cap, however many failures', () => {
    const state = failTimes(60);
    expect((state.blockedUntil?.getTime() ?? 0) - state.lastFailureAt.getTime()).toBe(900_000);
  });

  it('allows an attempt again once the wait is over', () => {
    const state = failTimes(5);
    expect(loginRetryAfterSeconds(state, at(4000 + 29_999))).toBe(1);
    expect(loginRetryAfterSeconds(state, at(4000 + 30_000))).toBeNull();
  });

  it('forgets failures after a day without one', () => {
    const state = failTimes(7);
    const later = afterFailedLogin(state, at(6000 + FAILURE_MEMORY_MS), policy);
    expect(later).toMatchObject({ failures: 1, blockedUntil: null });
  });

  it('answers "try now" when there is no state at all', () => {
    expect(loginRetryAfterSeconds(null, t0)).toBeNull();
  });
});

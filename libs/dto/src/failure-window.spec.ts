import { countsAsFailedAuthentication, FailureWindow } from './failure-window';

describe('countsAsFailedAuthentication (REST 401s and socket handshake refusals alike)', () => {
  it.each([
    'unauthenticated',
    'invalid_credentials',
    'token_revoked',
    'token_lifetime_too_long',
    'key_revoked',
    'account_disabled',
  ])('counts %s', (code) => {
    expect(countsAsFailedAuthentication(code)).toBe(true);
  });

  it.each([
    'token_expired',
    'forbidden',
    'origin_forbidden',
    'too_many_connections',
    'rate_limited',
    'validation_failed',
    'internal',
    undefined,
  ])('does not count %s', (code) => {
    expect(countsAsFailedAuthentication(code)).toBe(false);
  });
});

describe('FailureWindow', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('does not block below the limit', () => {
    const sut = new FailureWindow(3, 60_000, clock);

    sut.recordFailure('10.0.0.1');
    sut.recordFailure('10.0.0.1');

    expect(sut.blockedForMs('10.0.0.1')).toBe(0);
  });

  it('blocks a key at the limit until its window ends, then lets it try again', () => {
    const sut = new FailureWindow(3, 60_000, clock);
    for (let i = 0; i < 3; i += 1) {
      sut.recordFailure('10.0.0.1');
      now += 1000;
    }

    expect(sut.blockedForMs('10.0.0.1')).toBe(57_000);
    now += 56_999;
    expect(sut.blockedForMs('10.0.0.1')).toBe(1);
    now += 1;
    expect(sut.blockedForMs('10.0.0.1')).toBe(0);
  });

  it('starts a new window after the old one ended', () => {
    const sut = new FailureWindow(2, 60_000, clock);
    sut.recordFailure('k');
    now += 60_000;

    sut.recordFailure('k');

    expect(sut.blockedForMs('k')).toBe(0);
  });

  it('counts each key on its own', () => {
    const sut = new FailureWindow(1, 60_000, clock);

    sut.recordFailure('a');

    expect(sut.blockedForMs('a')).toBeGreaterThan(0);
    expect(sut.blockedForMs('b')).toBe(0);
  });

  it('keeps at most maxKeys keys, dropping the oldest first', () => {
    const sut = new FailureWindow(1, 60_000, clock, 2);

    sut.recordFailure('a');
    sut.recordFailure('b');
    sut.recordFailure('c');

    expect(sut.blockedForMs('a')).toBe(0);
    expect(sut.blockedForMs('b')).toBeGreaterThan(0);
    expect(sut.blockedForMs('c')).toBeGreaterThan(0);
  });
});

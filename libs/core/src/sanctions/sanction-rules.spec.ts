import { hasExpired, isActive } from './sanction-rules';

describe('sanction rules', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const later = new Date('2026-03-01T13:00:00.000Z');
  const earlier = new Date('2026-03-01T11:00:00.000Z');

  it('counts a permanent ban, mute or suspension as active until it is lifted', () => {
    for (const type of ['ban', 'mute', 'suspend'] as const) {
      expect(isActive({ type, expiresAt: null, revokedAt: null }, now)).toBe(true);
      expect(isActive({ type, expiresAt: null, revokedAt: earlier }, now)).toBe(false);
    }
  });

  it('counts a timed sanction as active until the instant it expires', () => {
    expect(isActive({ type: 'ban', expiresAt: later, revokedAt: null }, now)).toBe(true);
    expect(isActive({ type: 'ban', expiresAt: now, revokedAt: null }, now)).toBe(false);
    expect(isActive({ type: 'ban', expiresAt: earlier, revokedAt: null }, now)).toBe(false);
    expect(hasExpired({ expiresAt: now }, now)).toBe(true);
    expect(hasExpired({ expiresAt: null }, now)).toBe(false);
  });

  it('never counts a one-off warn or kick as active, unless it was given a duration', () => {
    expect(isActive({ type: 'warn', expiresAt: null, revokedAt: null }, now)).toBe(false);
    expect(isActive({ type: 'kick', expiresAt: null, revokedAt: null }, now)).toBe(false);
    expect(isActive({ type: 'kick', expiresAt: later, revokedAt: null }, now)).toBe(true);
  });
});

import type { StaffRole } from '@gmdesk/contracts';
import { type Audience, isAdmitted } from './access-policy';
import type { Principal } from './principal';

const staff = (role: StaffRole): Principal => ({
  kind: 'staff',
  staffId: `staff-${role}`,
  role,
  realms: [],
});
const player: Principal = {
  kind: 'player',
  accountId: 'player-1',
  realmId: 'realm-a',
  expiresAt: new Date('2026-11-24T20:30:00Z'),
};
const gameServer: Principal = { kind: 'game_server', serverId: 'server-1', realmId: 'realm-a' };

const CALLERS: ReadonlyArray<[string, Principal]> = [
  ['a player', player],
  ['a game server', gameServer],
  ['an agent', staff('agent')],
  ['a moderator', staff('moderator')],
  ['an admin', staff('admin')],
];

/** Who each single audience admits: staff roles are minimums (agent < moderator < admin). */
const ADMITS: Record<Audience, readonly string[]> = {
  player: ['a player'],
  game_server: ['a game server'],
  agent: ['an agent', 'a moderator', 'an admin'],
  moderator: ['a moderator', 'an admin'],
  admin: ['an admin'],
};

describe('isAdmitted', () => {
  const sut = isAdmitted;

  describe.each(Object.entries(ADMITS) as Array<[Audience, readonly string[]]>)(
    'a route for %s',
    (audience, admitted) => {
      it.each(CALLERS)('decides for %s', (label, principal) => {
        expect(sut(principal, [audience])).toBe(admitted.includes(label));
      });
    },
  );

  it('admits a caller who is in any one of several audiences', () => {
    expect(sut(player, ['game_server', 'player'])).toBe(true);
    expect(sut(staff('agent'), ['player', 'agent'])).toBe(true);
  });

  it('refuses a caller who is in none of several audiences', () => {
    expect(sut(gameServer, ['player', 'moderator'])).toBe(false);
    expect(sut(staff('agent'), ['player', 'game_server', 'moderator'])).toBe(false);
  });

  it('refuses an anonymous caller whatever the audience', () => {
    expect(sut(undefined, ['player', 'game_server', 'agent', 'moderator', 'admin'])).toBe(false);
  });

  it('refuses everyone on a route that names no audience (default deny)', () => {
    for (const [, principal] of CALLERS) {
      expect(sut(principal, [])).toBe(false);
    }
  });
});

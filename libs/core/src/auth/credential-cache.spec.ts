import type { Principal } from '../common/principal';
import { CredentialCache } from './credential-cache';

const staff: Principal = { kind: 'staff', staffId: 's1', role: 'agent', realms: [] };
const otherStaff: Principal = { kind: 'staff', staffId: 's2', role: 'agent', realms: [] };
const player: Principal = {
  kind: 'player',
  accountId: 'a1',
  realmId: 'r1',
  expiresAt: new Date(100_000),
};
const server: Principal = { kind: 'game_server', serverId: 'g1', realmId: 'r1' };

describe('CredentialCache', () => {
  it('returns what was stored until its lifetime ends', () => {
    const sut = new CredentialCache(10_000);
    sut.set('token', staff, 0, sut.revision);

    expect(sut.get('token', 9_999)).toBe(staff);
    expect(sut.get('token', 10_000)).toBeUndefined();
  });

  it('never keeps a credential past its own expiry', () => {
    const sut = new CredentialCache(1_000_000);
    sut.set('player-token', player, 0, sut.revision, player.expiresAt);

    expect(sut.get('player-token', 99_999)).toBe(player);
    expect(sut.get('player-token', 100_000)).toBeUndefined();
  });

  it('forgets exactly the credentials of a revoked subject', () => {
    const sut = new CredentialCache(10_000);
    sut.set('tab-1', staff, 0, sut.revision);
    sut.set('tab-2', staff, 0, sut.revision);
    sut.set('other', otherStaff, 0, sut.revision);
    sut.set('player-token', player, 0, sut.revision, player.expiresAt);
    sut.set('api-key', server, 0, sut.revision);

    sut.revoke('staff:s1');
    sut.revoke('realm:r1');

    expect(['tab-1', 'tab-2', 'player-token'].map((c) => sut.get(c, 1))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(sut.get('other', 1)).toBe(otherStaff);
    expect(sut.get('api-key', 1)).toBe(server);
    sut.revoke('server:g1');
    expect(sut.get('api-key', 1)).toBeUndefined();
  });

  it('forgets everything on *', () => {
    const sut = new CredentialCache(10_000);
    sut.set('a', staff, 0, sut.revision);
    sut.set('b', server, 0, sut.revision);

    sut.revoke('*');

    expect(sut.size).toBe(0);
  });

  it('stores nothing when turned off', () => {
    const sut = new CredentialCache(0);
    sut.set('token', staff, 0, sut.revision);

    expect(sut.get('token', 0)).toBeUndefined();
  });

  it('stays within its size, dropping the oldest entries', () => {
    const sut = new CredentialCache(10_000, 2);
    sut.set('first', staff, 0, sut.revision);
    sut.set('second', otherStaff, 0, sut.revision);
    sut.set('third', server, 0, sut.revision);

    expect(sut.size).toBe(2);
    expect(sut.get('first', 1)).toBeUndefined();
    expect(sut.get('third', 1)).toBe(server);
  });

  it('keeps out a result verified before a revocation that landed meanwhile', () => {
    const sut = new CredentialCache(10_000);
    const revision = sut.revision;

    sut.revoke('staff:s1');
    sut.set('token', staff, 0, revision);

    expect(sut.get('token', 1)).toBeUndefined();
  });
});

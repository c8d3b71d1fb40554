import type { StaffPrincipal } from '../common/principal';
import { mayCreateRealm } from '../realms/realm-admin';
import { mayGrantRealms, mayManageStaff, realmsWithin } from './staff-scope';

const admin = (realms: string[]): StaffPrincipal => ({
  kind: 'staff',
  staffId: 'a',
  role: 'admin',
  realms,
});

describe('realm-scoped staff administration', () => {
  describe('realmsWithin', () => {
    it.each([
      [[], [], true],
      [[], ['b'], true],
      [['b'], ['b'], true],
      [['b', 'c'], ['c'], true],
      [['b', 'c'], ['c', 'b'], true],
      [['b'], [], false],
      [['b'], ['b', 'c'], false],
      [['b'], ['c'], false],
    ])('outer %j covers inner %j: %s', (outer, inner, expected) => {
      expect(realmsWithin(outer, inner)).toBe(expected);
    });
  });

  describe('an unrestricted admin', () => {
    const actor = admin([]);

    it('manages staff of any realm and unrestricted staff', () => {
      expect(mayManageStaff(actor, { realms: [] })).toBe(true);
      expect(mayManageStaff(actor, { realms: ['b'] })).toBe(true);
    });

    it('grants any realms, all realms included', () => {
      expect(mayGrantRealms(actor, [])).toBe(true);
      expect(mayGrantRealms(actor, ['x', 'y'])).toBe(true);
    });

    it('creates realms', () => {
      expect(mayCreateRealm(actor)).toBe(true);
    });
  });

  describe('an admin restricted to realm b', () => {
    const actor = admin(['b']);

    it('manages staff whose realms are within b, itself included', () => {
      expect(mayManageStaff(actor, { realms: ['b'] })).toBe(true);
    });

    it('never touches unrestricted staff (an all-realm admin)', () => {
      expect(mayManageStaff(actor, { realms: [] })).toBe(false);
    });

    it('never touches staff who also work in another realm', () => {
      expect(mayManageStaff(actor, { realms: ['b', 'c'] })).toBe(false);
      expect(mayManageStaff(actor, { realms: ['c'] })).toBe(false);
    });

    it('cannot grant all realms, so cannot widen itself or create an all-realm admin', () => {
      expect(mayGrantRealms(actor, [])).toBe(false);
    });

    it('cannot grant a realm outside its own', () => {
      expect(mayGrantRealms(actor, ['b', 'c'])).toBe(false);
      expect(mayGrantRealms(actor, ['c'])).toBe(false);
    });

    it('grants its own realm', () => {
      expect(mayGrantRealms(actor, ['b'])).toBe(true);
    });

    it('cannot create realms', () => {
      expect(mayCreateRealm(actor)).toBe(false);
    });
  });
});

import type { StaffPrincipal } from '../common/principal';

/**
 * What a realm-restricted admin may do to staff accounts (issue 11 §4). Staff realms are a list;
 * empty means every realm. An unrestricted admin manages everyone. A restricted admin manages
 * only staff whose realms are a non-empty subset of its own, grants only such sets (never the
 * empty list, "all realms"), and so can neither touch unrestricted staff nor widen itself.
 */

/** True when `realms` is the empty list, which means every realm. */
export function coversAllRealms(realms: readonly string[]): boolean {
  return realms.length === 0;
}

/**
 * Whether a staff member with `outer` realms covers every realm of `inner`. Unrestricted covers
 * everything; a restricted one never covers "all realms" (the empty list).
 */
export function realmsWithin(outer: readonly string[], inner: readonly string[]): boolean {
  if (coversAllRealms(outer)) {
    return true;
  }
  return !coversAllRealms(inner) && inner.every((realm) => outer.includes(realm));
}

/** May `actor` see and change this staff account (its role, realms, password, disabled state)? */
export function mayManageStaff(
  actor: StaffPrincipal,
  target: { readonly realms: readonly string[] },
): boolean {
  return realmsWithin(actor.realms, target.realms);
}

/** May `actor` give an account exactly these realms (on creation or in an update)? */
export function mayGrantRealms(actor: StaffPrincipal, realms: readonly string[]): boolean {
  return realmsWithin(actor.realms, realms);
}

/**
 * May `viewer` see this colleague's name (the staff directory)? Staff who share a realm with it:
 * an unrestricted viewer sees everyone, and everyone sees unrestricted staff (they work in every
 * realm, so in the viewer's too).
 */
export function sharesRealmWith(
  viewer: StaffPrincipal,
  colleague: { readonly realms: readonly string[] },
): boolean {
  return (
    coversAllRealms(viewer.realms) ||
    coversAllRealms(colleague.realms) ||
    colleague.realms.some((realm) => viewer.realms.includes(realm))
  );
}

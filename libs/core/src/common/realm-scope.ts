import { Principal } from './principal';

/**
 * Which realms a query may touch. Repository methods for realm-owned rows require one, so an
 * unscoped query does not compile. `all` is for admins and staff without a realm restriction.
 */
export type RealmScope =
  { readonly kind: 'all' } | { readonly kind: 'realms'; readonly realmIds: readonly string[] };

export const ALL_REALMS: RealmScope = { kind: 'all' };

export function realmScopeOf(principal: Principal): RealmScope {
  switch (principal.kind) {
    case 'staff':
      return principal.realms.length === 0
        ? ALL_REALMS
        : { kind: 'realms', realmIds: principal.realms };
    case 'game_server':
    case 'player':
      return { kind: 'realms', realmIds: [principal.realmId] };
  }
}

export function scopeAllows(scope: RealmScope, realmId: string): boolean {
  return scope.kind === 'all' || scope.realmIds.includes(realmId);
}

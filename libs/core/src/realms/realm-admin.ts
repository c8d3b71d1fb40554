import type { StaffPrincipal } from '../common/principal';

/**
 * Creating a realm widens what every unrestricted staff member covers and is no realm's business,
 * so only admins without a realm restriction may do it; an admin limited to some realms would
 * otherwise create realms outside its own.
 */
export function mayCreateRealm(actor: StaffPrincipal): boolean {
  return actor.role === 'admin' && actor.realms.length === 0;
}

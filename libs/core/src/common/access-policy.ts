import type { StaffRole } from '@gmdesk/contracts';
import { hasRoleAtLeast, Principal } from './principal';

/**
 * Who may call an operation at all. Transports declare one per route or event; anything without
 * a declaration is denied (default deny). Staff roles are minimums: `agent` admits moderators
 * and admins too. Which *resources* a caller may touch is the service's check, not this one.
 */
export type Audience = 'player' | 'game_server' | StaffRole;

export function isAdmitted(
  principal: Principal | undefined,
  audiences: readonly Audience[],
): boolean {
  if (!principal) {
    return false;
  }
  return audiences.some((audience) => {
    switch (audience) {
      case 'player':
        return principal.kind === 'player';
      case 'game_server':
        return principal.kind === 'game_server';
      case 'agent':
      case 'moderator':
      case 'admin':
        return hasRoleAtLeast(principal, audience);
    }
  });
}

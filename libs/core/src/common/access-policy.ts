import type { StaffRole } from '@gmdesk/contracts';
import { SetMetadata } from '@nestjs/common';
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

export const ALLOW_KEY = 'gmdesk:allow';
export const PUBLIC_KEY = 'gmdesk:public';

/**
 * Who may call a REST route or a socket event: the same metadata for both transports. Anything
 * without @Allow or @Public is refused (default deny), and the authorization matrix test fails.
 */
export const Allow = (...audiences: Audience[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_KEY, audiences);

/** No credentials needed (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

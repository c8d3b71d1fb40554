import type { StaffRole } from '@gmdesk/contracts';

export interface StaffPrincipal {
  readonly kind: 'staff';
  readonly staffId: string;
  readonly role: StaffRole;
  /** Realms this staff member works in; empty means every realm. */
  readonly realms: readonly string[];
  /** As players see it on replies; set when authenticated from a token. */
  readonly displayName?: string;
}

export interface GameServerPrincipal {
  readonly kind: 'game_server';
  readonly serverId: string;
  readonly realmId: string;
}

export interface PlayerPrincipal {
  readonly kind: 'player';
  /** The game's own account id (the token's `sub`). */
  readonly accountId: string;
  readonly realmId: string;
  readonly expiresAt: Date;
  readonly displayName?: string;
}

export type Principal = StaffPrincipal | GameServerPrincipal | PlayerPrincipal;

const ROLE_RANK: Record<StaffRole, number> = { agent: 1, moderator: 2, admin: 3 };

/** Staff roles are ordered: a moderator may do what an agent may, an admin everything. */
export function hasRoleAtLeast(principal: Principal, role: StaffRole): principal is StaffPrincipal {
  return principal.kind === 'staff' && ROLE_RANK[principal.role] >= ROLE_RANK[role];
}

export function staffCoversRealm(principal: StaffPrincipal, realmId: string): boolean {
  return principal.realms.length === 0 || principal.realms.includes(realmId);
}

/** A stable key for rate limits and idempotency scopes. */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'staff':
      return `staff:${principal.staffId}`;
    case 'game_server':
      return `server:${principal.serverId}`;
    case 'player':
      return `player:${principal.realmId}:${principal.accountId}`;
  }
}

/** How the audit log names an actor. */
export function auditActor(principal: Principal): { actorType: string; actorId: string } {
  switch (principal.kind) {
    case 'staff':
      return { actorType: 'staff', actorId: principal.staffId };
    case 'game_server':
      return { actorType: 'game_server', actorId: principal.serverId };
    case 'player':
      return { actorType: 'player', actorId: `${principal.realmId}:${principal.accountId}` };
  }
}

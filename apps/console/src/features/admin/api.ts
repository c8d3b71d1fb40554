import type { StaffRole } from '@gmdesk/contracts';
import { api } from '../../lib/api-client';
import type {
  CreatedGameServer,
  CreatedRealm,
  GameServer,
  Realm,
  StaffMember,
} from '../../types/api';

export const adminKeys = {
  all: ['admin'] as const,
  realms: () => [...adminKeys.all, 'realms'] as const,
  gameServers: (realmId: string) => [...adminKeys.all, 'game-servers', realmId] as const,
  staff: () => [...adminKeys.all, 'staff'] as const,
};

export const fetchRealms = (signal?: AbortSignal): Promise<Realm[]> =>
  api<Realm[]>('GET', '/realms', { signal });

export const createRealm = (input: { id: string; name: string }): Promise<CreatedRealm> =>
  api<CreatedRealm>('POST', '/realms', { body: input });

export const fetchGameServers = (realmId: string, signal?: AbortSignal): Promise<GameServer[]> =>
  api<GameServer[]>('GET', `/realms/${encodeURIComponent(realmId)}/game-servers`, { signal });

export const createGameServer = (realmId: string, name: string): Promise<CreatedGameServer> =>
  api<CreatedGameServer>('POST', `/realms/${encodeURIComponent(realmId)}/game-servers`, {
    body: { name },
  });

export const revokeGameServer = (serverId: string): Promise<GameServer> =>
  api<GameServer>('POST', `/game-servers/${encodeURIComponent(serverId)}/revoke`);

export const fetchStaff = (signal?: AbortSignal): Promise<StaffMember[]> =>
  api<StaffMember[]>('GET', '/staff', { signal });

export interface CreateStaffInput {
  readonly username: string;
  readonly displayName: string;
  readonly role: StaffRole;
  readonly password: string;
  /** Empty: every realm. */
  readonly realms: readonly string[];
}

export const createStaff = (input: CreateStaffInput): Promise<StaffMember> =>
  api<StaffMember>('POST', '/staff', { body: input });

export interface UpdateStaffInput {
  readonly role?: StaffRole;
  readonly realms?: readonly string[];
  readonly disabled?: boolean;
}

export const updateStaff = (id: string, input: UpdateStaffInput): Promise<StaffMember> =>
  api<StaffMember>('PATCH', `/staff/${encodeURIComponent(id)}`, { body: input });

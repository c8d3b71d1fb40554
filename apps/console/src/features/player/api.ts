import { api } from '../../lib/api-client';
import type { Page, Player, Report } from '../../types/api';

export const playerKeys = {
  all: ['player'] as const,
  detail: (realmId: string, accountId: string) =>
    [...playerKeys.all, 'detail', realmId, accountId] as const,
  reportsAgainst: (realmId: string, accountId: string) =>
    [...playerKeys.all, 'reports-against', realmId, accountId] as const,
};

const playerPath = (realmId: string, accountId: string): string =>
  `/realms/${encodeURIComponent(realmId)}/players/${encodeURIComponent(accountId)}`;

export function fetchPlayer(
  realmId: string,
  accountId: string,
  signal?: AbortSignal,
): Promise<Player> {
  return api<Player>('GET', playerPath(realmId, accountId), { signal });
}

export function fetchReportsAgainst(
  realmId: string,
  accountId: string,
  signal?: AbortSignal,
): Promise<Page<Report>> {
  return api<Page<Report>>('GET', '/reports', {
    signal,
    query: { realmId, reportedPlayerId: accountId, limit: 50 },
  });
}

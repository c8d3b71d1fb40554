import { api } from '../../lib/api-client';
import type { Page, Player, Report, Ticket } from '../../types/api';

export const playerKeys = {
  all: ['player'] as const,
  detail: (realmId: string, accountId: string) =>
    [...playerKeys.all, 'detail', realmId, accountId] as const,
  reportsAgainst: (realmId: string, accountId: string) =>
    [...playerKeys.all, 'reports-against', realmId, accountId] as const,
  reportsFiled: (realmId: string, accountId: string) =>
    [...playerKeys.all, 'reports-filed', realmId, accountId] as const,
  tickets: (realmId: string, accountId: string) =>
    [...playerKeys.all, 'tickets', realmId, accountId] as const,
  search: (q: string, realmId: string | null) => [...playerKeys.all, 'search', q, realmId] as const,
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

export function fetchReportsFiled(
  realmId: string,
  accountId: string,
  signal?: AbortSignal,
): Promise<Page<Report>> {
  return api<Page<Report>>('GET', '/reports', {
    signal,
    query: { realmId, reporterAccountId: accountId, limit: 50 },
  });
}

/** The support tickets the player opened, newest first. */
export function fetchPlayerTickets(
  realmId: string,
  accountId: string,
  signal?: AbortSignal,
): Promise<Page<Ticket>> {
  return api<Page<Ticket>>('GET', '/tickets', {
    signal,
    query: { realmId, requesterAccountId: accountId, sort: 'newest', limit: 50 },
  });
}

/** Account id prefix or display name prefix, in the GM's realms (or one of them). */
export function searchPlayers(
  q: string,
  realmId: string | null,
  signal?: AbortSignal,
): Promise<Page<Player>> {
  return api<Page<Player>>('GET', '/players', { signal, query: { q, realmId, limit: 20 } });
}

import { api } from '../../lib/api-client';
import type { BacklogStats, IntakeStats, Realm, ResponseTimeStats } from '../../types/api';

/**
 * The dashboard's queries. `src/app/live-events.ts` invalidates `statsKeys.all()` (throttled)
 * when `/staff` events arrive, so this module stays free of chart code: the page itself is
 * loaded lazily, its chart library kept out of the initial bundle.
 */
export const statsKeys = {
  all: () => ['stats'] as const,
  backlog: (realmId: string | null) => ['stats', 'backlog', realmId] as const,
  intake: (realmId: string | null, hours: number) => ['stats', 'intake', realmId, hours] as const,
  responseTimes: (realmId: string | null, bucket: 'hour' | 'day', periods: number) =>
    ['stats', 'response-times', realmId, bucket, periods] as const,
  realms: () => ['stats', 'realms'] as const,
};

/** SLA clocks and waiting times move without events: re-read now and then anyway. */
export const STATS_REFETCH_MS = 60_000;

export function fetchBacklog(realmId: string | null, signal?: AbortSignal): Promise<BacklogStats> {
  return api<BacklogStats>('GET', '/stats/backlog', { signal, query: { realmId } });
}

export function fetchIntake(
  realmId: string | null,
  hours: number,
  signal?: AbortSignal,
): Promise<IntakeStats> {
  return api<IntakeStats>('GET', '/stats/intake', { signal, query: { realmId, hours } });
}

export function fetchResponseTimes(
  realmId: string | null,
  bucket: 'hour' | 'day',
  periods: number,
  signal?: AbortSignal,
): Promise<ResponseTimeStats> {
  return api<ResponseTimeStats>('GET', '/stats/response-times', {
    signal,
    query: { realmId, bucket, periods },
  });
}

export function fetchRealms(signal?: AbortSignal): Promise<readonly Realm[]> {
  return api<readonly Realm[]>('GET', '/realms', { signal });
}

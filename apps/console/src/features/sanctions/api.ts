import type { SanctionType } from '@gmdesk/contracts';
import { api } from '../../lib/api-client';
import type { Page, Sanction, SanctionDetail } from '../../types/api';

export interface SanctionFilters {
  readonly realmId?: string;
  /** The player's game account id (needs realmId). */
  readonly playerId?: string;
  readonly ticketId?: string;
  readonly type?: SanctionType;
  readonly active?: boolean;
}

export const sanctionKeys = {
  all: ['sanctions'] as const,
  lists: () => [...sanctionKeys.all, 'list'] as const,
  list: (filters: SanctionFilters) => [...sanctionKeys.lists(), filters] as const,
  details: () => [...sanctionKeys.all, 'detail'] as const,
  /** One sanction with its per-server enforcement (patched live by `sanction.enforcement`). */
  detail: (sanctionId: string) => [...sanctionKeys.details(), sanctionId] as const,
};

export function fetchSanctions(
  filters: SanctionFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<Page<Sanction>> {
  return api<Page<Sanction>>('GET', '/sanctions', {
    signal,
    query: {
      ...filters,
      active: filters.active === undefined ? undefined : String(filters.active),
      cursor,
      limit: 50,
    },
  });
}

export function fetchSanction(sanctionId: string, signal?: AbortSignal): Promise<SanctionDetail> {
  return api<SanctionDetail>('GET', `/sanctions/${encodeURIComponent(sanctionId)}`, { signal });
}

export interface IssueSanctionInput {
  readonly realmId: string;
  readonly playerId: string;
  readonly type: SanctionType;
  readonly publicReason: string;
  readonly privateReason?: string;
  /** Absent: permanent (or instantaneous for warn and kick). */
  readonly durationMinutes?: number;
  readonly ticketId?: string;
}

/** One key per dialog submission: a retried submit cannot sanction twice. */
export function issueSanction(
  input: IssueSanctionInput,
  idempotencyKey: string,
): Promise<Sanction> {
  return api<Sanction>('POST', '/sanctions', { body: input, idempotencyKey });
}

export function revokeSanction(sanctionId: string, reason: string): Promise<Sanction> {
  return api<Sanction>('POST', `/sanctions/${encodeURIComponent(sanctionId)}/revoke`, {
    body: { reason },
  });
}

/** Warn and kick happen once; the others last for a duration or for good. */
export function takesDuration(type: SanctionType): boolean {
  return type !== 'warn' && type !== 'kick';
}

export const DURATION_PRESETS: readonly {
  readonly label: string;
  readonly minutes: number | null;
}[] = [
  { label: '1 hour', minutes: 60 },
  { label: '24 hours', minutes: 24 * 60 },
  { label: '7 days', minutes: 7 * 24 * 60 },
  { label: '30 days', minutes: 30 * 24 * 60 },
  { label: 'Permanent', minutes: null },
];

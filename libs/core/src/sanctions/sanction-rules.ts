import type { SanctionType } from '@gmdesk/contracts';

/** Types that last until they expire or are lifted; warn and kick are one-off acts. */
export const LASTING_SANCTION_TYPES: readonly SanctionType[] = ['mute', 'suspend', 'ban'];

export interface SanctionTimes {
  readonly type: SanctionType;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export function hasExpired(sanction: Pick<SanctionTimes, 'expiresAt'>, now: Date): boolean {
  return sanction.expiresAt !== null && sanction.expiresAt.getTime() <= now.getTime();
}

/**
 * What a game server must enforce now: not lifted, not expired, and not a one-off act. A warn or
 * kick without an expiry happened once, when it was issued; sending it to a server that connects
 * later would kick (or warn) the player again for an old offence. With an expiry it lasts like
 * the others (e.g. a kick that bars rejoining for an hour). `sanctionActiveSql` states the same
 * rule in SQL; keep the two in step (the e2e tests check the SQL side).
 */
export function isActive(sanction: SanctionTimes, now: Date): boolean {
  if (sanction.revokedAt !== null || hasExpired(sanction, now)) {
    return false;
  }
  return sanction.expiresAt !== null || LASTING_SANCTION_TYPES.includes(sanction.type);
}

/** `isActive` as a SQL condition over `alias`, with `:now` bound to the same instant. */
export function sanctionActiveSql(alias: string): string {
  const types = LASTING_SANCTION_TYPES.map((type) => `'${type}'`).join(', ');
  // Null-safe on purpose: `NOT (...)` (the inactive ones) must be true, not NULL, for a one-off.
  return (
    `(${alias}.revoked_at IS NULL AND ((${alias}.expires_at IS NOT NULL AND ${alias}.expires_at > :now) ` +
    `OR (${alias}.expires_at IS NULL AND ${alias}.type IN (${types}))))`
  );
}

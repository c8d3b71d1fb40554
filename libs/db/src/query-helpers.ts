import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Structurally the same as core's RealmScope (db cannot import core). */
export type RealmFilter =
  { readonly kind: 'all' } | { readonly kind: 'realms'; readonly realmIds: readonly string[] };

/** Restricts a query to the realms a caller may see. */
export function whereInRealms<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  scope: RealmFilter,
): SelectQueryBuilder<T> {
  if (scope.kind === 'realms') {
    query.andWhere(`${column} = ANY(:scopeRealmIds)`, { scopeRealmIds: [...scope.realmIds] });
  }
  return query;
}

/** PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const driverError = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint: name } = driverError as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || name === constraint);
}

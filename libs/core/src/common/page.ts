/** A page of a keyset-paginated listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Returns null for a cursor that is not one of ours; callers turn that into a 400. */
export function decodeCursor(cursor: string): (string | number)[] | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      // 1e999 is valid JSON but parses to Infinity, which no keyset column holds.
      parsed.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return parsed as (string | number)[];
    }
    return null;
  } catch {
    return null;
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/*
 * A cursor comes back from the client, so each keyset value is checked before it reaches a
 * query: a value PostgreSQL cannot parse would fail the query (a 500) instead of the request.
 */

/** A `Date#toISOString()` value, which is how cursors carry timestamps. */
export function isCursorTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

export function isCursorUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

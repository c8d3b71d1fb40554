/**
 * Claims of a player token come from the game backend: verified, but not validated. Whatever of
 * them is looked up or stored must be checked first, or a NUL byte reaches PostgreSQL (a 500).
 */

/** The rule for realm ids (the `realms.id` CHECK constraint). */
const REALM_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * What a display name may not hold: C0 and C1 controls (NUL, escape sequences), bidirectional
 * overrides and isolates (text that reads backwards in the staff console), and unpaired
 * surrogates (no UTF-8 form).
 */
const UNSAFE_IN_NAME =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it removes
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The `realm` claim, when it can name a realm at all. */
export function realmClaim(value: unknown): string | undefined {
  return typeof value === 'string' && REALM_ID.test(value) ? value : undefined;
}

/** The `name` claim with unsafe characters removed; none when nothing (or too much) is left. */
export function displayNameClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const name = value.replace(UNSAFE_IN_NAME, '').trim();
  return name.length > 0 && name.length <= 64 ? name : undefined;
}

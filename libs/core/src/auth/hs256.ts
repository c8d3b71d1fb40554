import { createDecoder, createVerifier, TokenError } from 'fast-jwt';

/**
 * Verification of the HS256 tokens every request carries (staff tokens we sign, player tokens the
 * game backend signs with its realm's secret), through fast-jwt on node:crypto's HMAC: about 8 µs
 * a token against 60-115 µs for jose's WebCrypto path, which was 9 % of the CPU of a ticket write
 * (bench/intake, `--profile tickets`). jose still signs the staff tokens at login, where a tenth of
 * a millisecond does not matter, and the tests sign with it too: a second implementation checking
 * that ours reads what any standard library writes.
 */

/** The claims of a verified or decoded token (a JSON object). */
export type TokenClaims = Readonly<Record<string, unknown>> & {
  readonly sub?: unknown;
  readonly exp?: unknown;
  readonly iat?: unknown;
  readonly jti?: unknown;
  readonly aud?: unknown;
};

/** Why a token was refused: a signature by another key is worth trying the next key for. */
export type TokenRefusal = 'expired' | 'wrong_key' | 'invalid';

export class TokenRefusedError extends Error {
  constructor(readonly refusal: TokenRefusal) {
    super(`token refused: ${refusal}`);
  }
}

const decoder = createDecoder();

/** The claims of a token without verifying it (to find its realm or audience), or null. */
export function decodeClaims(token: string): TokenClaims | null {
  try {
    const claims: unknown = decoder(token);
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as TokenClaims)
      : null;
  } catch {
    return null;
  }
}

export interface Hs256Rules {
  readonly requiredClaims?: readonly string[];
  readonly issuer?: string;
  readonly audience?: string;
}

type Verify = (token: string) => unknown;

/**
 * Verifiers for one set of rules, one per secret, kept (fast-jwt prepares the key once). Realm
 * secrets are few and change rarely; the bound only stops a stream of rotations from growing it.
 */
export class Hs256Verifiers {
  /** Realm secrets, by their text: the look-up costs a hash of the string, no copy. */
  private readonly byText = new Map<string, Verify>();
  /** The staff signing key: one object for the life of the process. */
  private readonly byBytes = new WeakMap<Uint8Array, Verify>();

  constructor(
    private readonly rules: Hs256Rules,
    private readonly maxSecrets = 1024,
  ) {}

  /** The token's claims, or a TokenRefusedError. */
  verify(token: string, secret: string | Uint8Array): TokenClaims {
    const verify = this.verifierFor(secret);
    let claims: unknown;
    try {
      claims = verify(token);
    } catch (error) {
      throw new TokenRefusedError(refusalOf(error));
    }
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
      throw new TokenRefusedError('invalid');
    }
    return claims as TokenClaims;
  }

  private verifierFor(secret: string | Uint8Array): Verify {
    if (typeof secret !== 'string') {
      let verify = this.byBytes.get(secret);
      if (!verify) {
        verify = this.create(Buffer.from(secret));
        this.byBytes.set(secret, verify);
      }
      return verify;
    }
    let verify = this.byText.get(secret);
    if (!verify) {
      if (this.byText.size >= this.maxSecrets) {
        this.byText.clear();
      }
      verify = this.create(Buffer.from(secret, 'utf8'));
      this.byText.set(secret, verify);
    }
    return verify;
  }

  private create(key: Buffer): Verify {
    return createVerifier({
      key,
      algorithms: ['HS256'],
      cache: false,
      ...(this.rules.requiredClaims && { requiredClaims: [...this.rules.requiredClaims] }),
      ...(this.rules.issuer !== undefined && { allowedIss: this.rules.issuer }),
      ...(this.rules.audience !== undefined && { allowedAud: this.rules.audience }),
    });
  }
}

function refusalOf(error: unknown): TokenRefusal {
  if (error instanceof TokenError) {
    if (error.code === TokenError.codes.expired) {
      return 'expired';
    }
    if (error.code === TokenError.codes.invalidSignature) {
      return 'wrong_key';
    }
  }
  return 'invalid';
}

import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { DomainError, RateLimitedError, UnauthenticatedError } from '../common/domain-error';
import { GameServerPrincipal, PlayerPrincipal, StaffPrincipal } from '../common/principal';
import { RevocationBus } from '../notifications/revocation-bus';
import { RealmsService, type PlayerTokenSecrets } from '../realms/realms.service';
import { SigningKeyService } from '../setup/signing-key.service';
import { StaffEntity } from '../staff/staff.entity';
import { StaffError, StaffErrorCode } from '../staff/staff.errors';
import { StaffService } from '../staff/staff.service';
import { CredentialCache } from './credential-cache';
import { decodeClaims, Hs256Verifiers, TokenRefusedError, type TokenClaims } from './hs256';
import {
  afterFailedLogin,
  FAILURE_MEMORY_MS,
  loginRetryAfterSeconds,
  type LoginFailureState,
} from './login-backoff';
import { LoginFailuresRepository } from './login-failures.repository';
import { displayNameClaim, realmClaim } from './token-claims';

const STAFF_ISSUER = 'gmdesk';
const STAFF_AUDIENCE = 'gmdesk:staff';
const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * How far the game backend's clock may run ahead of ours when a player token has no `iat` (its
 * lifetime is then measured from our `now`), so a token of exactly the maximum is not refused.
 */
const CLOCK_SKEW_SECONDS = 60;

export interface StaffSession {
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly staff: StaffEntity;
}

/** Who is trying to log in, for the audit log of failures. */
export interface LoginClient {
  readonly ip: string;
}

/** What a logout ended: this one token, or every session of the account. */
export type LogoutScope = 'token' | 'everywhere';

/** A player token checked again, for a live session: its principal or why it no longer holds. */
export type PlayerTokenRecheck = PlayerPrincipal | DomainError;

/**
 * Turns credentials into principals for every transport: staff JWTs we issue, player tokens the
 * game backend signs with its realm's secret, and game-server API keys.
 */
@Injectable()
export class AuthService {
  private readonly verified: CredentialCache;
  private readonly staffTokens = new Hs256Verifiers({
    requiredClaims: ['sub', 'exp'],
    issuer: STAFF_ISSUER,
    audience: STAFF_AUDIENCE,
  });
  private readonly playerTokens = new Hs256Verifiers({ requiredClaims: ['sub', 'exp'] });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly realms: RealmsService,
    private readonly signingKey: SigningKeyService,
    private readonly loginFailures: LoginFailuresRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    revocations: RevocationBus,
  ) {
    this.verified = new CredentialCache(config.authCacheSeconds * 1000);
    revocations.subscribe((subject) => this.verified.revoke(subject));
  }

  /**
   * A staff login. After repeated failures for one username the next attempts wait (see
   * login-backoff.ts): refused with `too_many_failed_logins` and Retry-After before the password
   * is even checked. Failures and the waits they start are audited with the caller's IP.
   */
  async login(username: string, password: string, client: LoginClient): Promise<StaffSession> {
    const key = username.toLowerCase();
    // Refused without a write while a wait is on; claimLoginAttempt checks again under the lock.
    refuseWhileWaiting(await this.loginFailures.find(key));
    const attempt = await this.claimLoginAttempt(key);
    const check = await this.staff.checkCredentials(username, password);
    if (!check.ok) {
      await this.recordFailedLogin(attempt, check.staffId, client.ip);
      throw new StaffError(StaffErrorCode.InvalidCredentials);
    }
    await this.loginFailures.clear(key);
    const staff = check.staff;
    const expiresAt = new Date(Date.now() + this.config.staffTokenTtlSeconds * 1000);
    // `gen` ties the token to the account's session generation (bumped by a password change,
    // re-enabling, log out everywhere); `jti` names this token so that logout can end it alone.
    const accessToken = await new SignJWT({ role: staff.role, gen: staff.sessionGeneration })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(staff.id)
      .setJti(randomUUID())
      .setIssuer(STAFF_ISSUER)
      .setAudience(STAFF_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.signingKey.staffTokenKey());
    return { accessToken, expiresAt, staff };
  }

  /**
   * Ends the session of this staff token (other tabs and devices keep theirs), or with
   * `everywhere` every token of the account. Live sockets of the ended tokens close at once.
   */
  async logout(token: string, everywhere: boolean): Promise<LogoutScope> {
    const { principal, payload } = await this.verifyStaffToken(token);
    const tokenId = tokenIdOf(payload);
    // A token issued before tokens had ids can only be ended with all the others.
    if (everywhere || tokenId === null) {
      await this.staff.endAllSessions(principal);
      return 'everywhere';
    }
    await this.staff.endSession(principal, {
      id: tokenId,
      expiresAt: expiryOf(payload),
    });
    return 'token';
  }

  /**
   * A bearer token is a staff token when it carries our audience, else a player token. `fresh`
   * verifies it again even when cached: for re-checks triggered by a revocation notice, which may
   * arrive before this process's cache has dropped the revoked entry.
   */
  authenticateBearer(
    token: string,
    options: { readonly fresh?: boolean } = {},
  ): Promise<StaffPrincipal | PlayerPrincipal> {
    const cached = options.fresh ? undefined : this.verified.get(token, Date.now());
    if (cached?.kind === 'staff' || cached?.kind === 'player') {
      return Promise.resolve(cached);
    }
    const claims = decodeClaims(token);
    if (!claims) {
      return Promise.reject(
        new UnauthenticatedError('unauthenticated', 'The bearer token is malformed.'),
      );
    }
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const now = Date.now();
    const revision = this.verified.revision;
    return audience.includes(STAFF_AUDIENCE)
      ? this.verifyStaffToken(token).then(({ principal, payload }) => {
          this.verified.set(token, principal, now, revision, expiryOf(payload));
          return principal;
        })
      : this.authenticatePlayerToken(token, claims).then((principal) => {
          this.verified.set(token, principal, now, revision, principal.expiresAt);
          return principal;
        });
  }

  async authenticateApiKey(apiKey: string): Promise<GameServerPrincipal> {
    const now = Date.now();
    const cached = this.verified.get(apiKey, now);
    if (cached?.kind === 'game_server') {
      return cached;
    }
    const revision = this.verified.revision;
    const principal = await this.realms.authenticateApiKey(apiKey);
    this.verified.set(apiKey, principal, now, revision);
    return principal;
  }

  /**
   * Checks the player tokens of a realm's live sessions again (after a secret rotation): one
   * look-up of the realm's secrets for all of them. Each answer is the principal (its `expiresAt`
   * may now be earlier: the old secret's end) or the error the token would be refused with now.
   */
  async recheckPlayerTokens(
    realmId: string,
    tokens: readonly string[],
  ): Promise<PlayerTokenRecheck[]> {
    const now = new Date();
    const secrets = await this.realms.findPlayerTokenSecrets(realmId, now);
    return tokens.map((token) => {
      try {
        if (!secrets) {
          throw unknownRealm();
        }
        return this.verifyPlayerToken(token, realmId, secrets, now);
      } catch (error) {
        if (error instanceof DomainError) {
          return error;
        }
        throw error;
      }
    });
  }

  private async verifyStaffToken(
    token: string,
  ): Promise<{ principal: StaffPrincipal; payload: TokenClaims }> {
    let payload: TokenClaims;
    try {
      payload = this.staffTokens.verify(token, this.signingKey.staffTokenKey());
    } catch (error) {
      throw explain(error);
    }
    const generation = payload['gen'];
    const check =
      typeof payload.sub === 'string' && payload.sub.length > 0
        ? await this.staff.checkToken({
            staffId: payload.sub,
            tokenId: tokenIdOf(payload),
            // Tokens from before generations existed count as generation 0.
            generation: typeof generation === 'number' ? generation : 0,
          })
        : ({ valid: false, reason: 'account_disabled' } as const);
    if (!check.valid) {
      throw check.reason === 'account_disabled'
        ? new UnauthenticatedError(
            'account_disabled',
            'This staff account is disabled or no longer exists.',
          )
        : new UnauthenticatedError(
            'token_revoked',
            'This session has ended (logged out, or the password changed); log in again.',
          );
    }
    const staff = check.staff;
    // Role and realms come from the database, not the token, so a demotion takes effect at once.
    const principal: StaffPrincipal = {
      kind: 'staff',
      staffId: staff.id,
      role: staff.role,
      realms: staff.realms,
      displayName: staff.displayName,
    };
    return { principal, payload };
  }

  private async authenticatePlayerToken(
    token: string,
    claims: TokenClaims,
  ): Promise<PlayerPrincipal> {
    const realmId = realmClaim(claims['realm']);
    const now = new Date();
    const secrets = realmId ? await this.realms.findPlayerTokenSecrets(realmId, now) : null;
    if (!realmId || !secrets) {
      throw unknownRealm();
    }
    return this.verifyPlayerToken(token, realmId, secrets, now);
  }

  /**
   * Verifies with the realm's current secret, then with the replaced one during its overlap; a
   * session on the replaced secret ends when the overlap does (its `expiresAt`).
   */
  private verifyPlayerToken(
    token: string,
    realmId: string,
    secrets: PlayerTokenSecrets,
    now: Date,
  ): PlayerPrincipal {
    const keys = [
      { secret: secrets.current, validUntil: null },
      ...(secrets.previous ? [secrets.previous] : []),
    ];
    let verified: { payload: TokenClaims; validUntil: Date | null } | undefined;
    for (const [index, key] of keys.entries()) {
      try {
        verified = {
          payload: this.playerTokens.verify(token, key.secret),
          validUntil: key.validUntil,
        };
        break;
      } catch (error) {
        // A signature by another key: the replaced secret, during its overlap, may have made it.
        const wrongKey = error instanceof TokenRefusedError && error.refusal === 'wrong_key';
        if (!wrongKey || index === keys.length - 1) {
          throw explain(error);
        }
      }
    }
    if (!verified) {
      throw new UnauthenticatedError('unauthenticated', 'The token is not valid.');
    }
    const { payload, validUntil } = verified;
    const accountId = typeof payload.sub === 'string' ? payload.sub : '';
    if (!ACCOUNT_ID_PATTERN.test(accountId)) {
      throw new UnauthenticatedError('unauthenticated', 'The player token has an invalid subject.');
    }
    const exp = typeof payload.exp === 'number' ? payload.exp : 0;
    const maxTtl = this.config.playerTokenMaxTtlSeconds;
    const nowSeconds = now.getTime() / 1000;
    if (
      exp - nowSeconds > maxTtl + CLOCK_SKEW_SECONDS ||
      (typeof payload.iat === 'number' && exp - payload.iat > maxTtl)
    ) {
      throw new UnauthenticatedError(
        'token_lifetime_too_long',
        `A player token may live at most ${maxTtl} seconds (exp - iat); sign a shorter one.`,
      );
    }
    const displayName = displayNameClaim(payload['name']);
    const expiresAt = new Date(exp * 1000);
    return {
      kind: 'player',
      accountId,
      realmId,
      expiresAt: validUntil && validUntil < expiresAt ? validUntil : expiresAt,
      ...(displayName !== undefined && { displayName }),
    };
  }

  /**
   * Counts the attempt as a failure before its password is checked (a success forgets it again),
   * in a short transaction of its own: argon2 runs outside it, holding no connection. Concurrent
   * guesses are counted one after another under the row lock, so however many arrive at once,
   * at most LOGIN_BACKOFF_AFTER_FAILURES are checked before the wait starts; the others are
   * refused like any attempt during a wait. Checking first and counting after let 59 concurrent
   * guesses through.
   */
  private claimLoginAttempt(key: string): Promise<LoginFailureState> {
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const previous = await this.loginFailures.lock(key, manager);
      refuseWhileWaiting(previous, now);
      const next = afterFailedLogin(previous, now, this.config.loginBackoff);
      await this.loginFailures.save(key, next, manager);
      return next;
    });
  }

  /** Audits a failed login (counted when it was claimed) and the wait it starts, if any. */
  private async recordFailedLogin(
    attempt: LoginFailureState,
    staffId: string | null,
    ip: string,
  ): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.loginFailures.pruneOlderThan(new Date(Date.now() - FAILURE_MEMORY_MS), manager);
      // The name typed is not recorded when no account has it: it is often a password typed
      // into the wrong field.
      const target = staffId
        ? { targetType: 'staff', targetId: staffId }
        : { targetType: 'staff', targetId: 'unknown' };
      await this.audit.recordAnonymous(
        ip,
        { action: 'auth.login_failed', ...target, after: { failures: attempt.failures } },
        manager,
      );
      if (attempt.blockedUntil) {
        await this.audit.recordAnonymous(
          ip,
          {
            action: 'auth.login_locked',
            ...target,
            after: { failures: attempt.failures, blockedUntil: attempt.blockedUntil },
          },
          manager,
        );
      }
    });
  }
}

/** While a wait is on, every login of the username is refused, the right password too. */
function refuseWhileWaiting(failures: LoginFailureState | null, now = new Date()): void {
  const retryAfter = loginRetryAfterSeconds(failures, now);
  if (retryAfter !== null) {
    throw new RateLimitedError(
      'too_many_failed_logins',
      'Too many failed logins for this account; wait before trying again.',
      retryAfter,
    );
  }
}

function expiryOf(payload: TokenClaims): Date {
  return new Date((typeof payload.exp === 'number' ? payload.exp : 0) * 1000);
}

function tokenIdOf(payload: TokenClaims): string | null {
  return typeof payload.jti === 'string' && UUID_PATTERN.test(payload.jti) ? payload.jti : null;
}

function unknownRealm(): UnauthenticatedError {
  return new UnauthenticatedError('unauthenticated', 'The player token names no known realm.');
}

function explain(error: unknown): UnauthenticatedError {
  if (error instanceof TokenRefusedError && error.refusal === 'expired') {
    return new UnauthenticatedError('token_expired', 'The token has expired.');
  }
  return new UnauthenticatedError('unauthenticated', 'The token is not valid.');
}

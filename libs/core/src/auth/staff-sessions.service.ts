import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { UnauthenticatedError } from '../common/domain-error';
import { ClientEventsService } from '../notifications/client-events.service';
import { SigningKeyService } from '../setup/signing-key.service';
import { StaffEntity } from '../staff/staff.entity';
import { StaffService } from '../staff/staff.service';
import { StaffSessionsRepository } from './staff-sessions.repository';

export const STAFF_ISSUER = 'gmdesk';
export const STAFF_AUDIENCE = 'gmdesk:staff';

/**
 * A refresh credential presented again within this long after it was rotated is taken for a
 * concurrent refresh of the same browser (two tabs, a reload racing the renewal timer), not for
 * a replay: it gets an access token, but no new credential (the browser already holds the one
 * the first refresh set). After the window, presenting it again ends the whole session.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000;

/** A staff access token and the sign-in session behind it. */
export interface StaffSession {
  readonly accessToken: string;
  readonly expiresAt: Date;
  readonly staff: StaffEntity;
  /**
   * The new refresh credential (for the httpOnly cookie) and when the session ends; absent when
   * a concurrent refresh already rotated it (the caller keeps its cookie).
   */
  readonly refresh?: { readonly credential: string; readonly expiresAt: Date };
}

/** Who refreshes, for the audit log of a replayed credential. */
export interface SessionClient {
  readonly ip: string;
}

type RefreshOutcome =
  | {
      readonly kind: 'rotated';
      readonly staffId: string;
      readonly sessionId: string;
      readonly expiresAt: Date;
      readonly credential: string;
    }
  | {
      readonly kind: 'concurrent';
      readonly staffId: string;
      readonly sessionId: string;
      readonly expiresAt: Date;
    }
  | { readonly kind: 'refused'; readonly error: UnauthenticatedError };

/**
 * Sign-in sessions: every login starts one; its single-use refresh credential (an httpOnly cookie
 * in the console) is exchanged at `POST /auth/refresh` for a new access token and a new
 * credential. A credential presented twice (after REFRESH_REUSE_GRACE_MS) means two parties hold
 * it, one of them a thief: the whole session ends, its access tokens included (they carry its id
 * as `sid`), and the replay is audited.
 */
@Injectable()
export class StaffSessionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: StaffSessionsRepository,
    private readonly staff: StaffService,
    private readonly signingKey: SigningKeyService,
    private readonly audit: AuditService,
    private readonly events: ClientEventsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** After a successful login: a new session, its first refresh credential and access token. */
  async start(staff: StaffEntity): Promise<StaffSession> {
    const sessionId = randomUUID();
    const credential = newCredential();
    const now = Date.now();
    const expiresAt = new Date(now + this.config.staffSessionTtlSeconds * 1000);
    await this.transactions.run(async (manager) => {
      await this.repository.pruneEndedBefore(
        new Date(now - this.config.staffTokenTtlSeconds * 1000),
        manager,
      );
      await this.repository.create(
        { id: sessionId, staffId: staff.id, generation: staff.sessionGeneration, expiresAt },
        hashOf(credential),
        manager,
      );
    });
    return {
      ...(await this.issue(staff, sessionId, expiresAt)),
      refresh: { credential, expiresAt },
    };
  }

  /**
   * Exchanges a refresh credential for a new access token and (unless a concurrent refresh
   * already did) a new credential. Refused with 401: an unknown credential (`unauthenticated`),
   * an ended session or a replayed credential (`token_revoked`), an expired session
   * (`token_expired`), a disabled account (`account_disabled`).
   */
  async refresh(credential: string, client: SessionClient): Promise<StaffSession> {
    const hash = hashOf(credential);
    const outcome = await this.transactions.run(async (manager): Promise<RefreshOutcome> => {
      const found = await this.repository.lockCredential(hash, manager);
      if (!found) {
        return refused('unauthenticated', 'This refresh credential is not valid; sign in again.');
      }
      if (found.staffDisabled) {
        return refused('account_disabled', 'This staff account is disabled or no longer exists.');
      }
      if (found.sessionRevoked || found.generationChanged) {
        return refused(
          'token_revoked',
          'This session has ended (signed out, or the password changed); sign in again.',
        );
      }
      const now = Date.now();
      if (found.sessionExpiresAt.getTime() <= now) {
        return refused('token_expired', 'This session has expired; sign in again.');
      }
      const session = {
        staffId: found.staffId,
        sessionId: found.sessionId,
        expiresAt: found.sessionExpiresAt,
      };
      if (found.usedAt) {
        if (now - found.usedAt.getTime() <= REFRESH_REUSE_GRACE_MS) {
          return { kind: 'concurrent', ...session };
        }
        // Replayed: whoever holds the newer credential and whoever holds this one cannot be told
        // apart, so both lose the session. Live sockets of its tokens close at once.
        await this.repository.revoke(
          { id: found.sessionId, staffId: found.staffId },
          'reuse',
          manager,
        );
        await this.events.announceRevocation(manager, `staff:${found.staffId}`);
        await this.audit.recordAnonymous(
          client.ip,
          {
            action: 'auth.refresh_reused',
            targetType: 'staff',
            targetId: found.staffId,
            after: { sessionId: found.sessionId, ended: true },
          },
          manager,
        );
        return refused(
          'token_revoked',
          'This refresh credential was already used: the session has been ended; sign in again.',
        );
      }
      const next = newCredential();
      await this.repository.markUsed(hash, manager);
      await this.repository.addCredential(found.sessionId, hashOf(next), manager);
      return { kind: 'rotated', ...session, credential: next };
    });
    if (outcome.kind === 'refused') {
      throw outcome.error;
    }
    const staff = await this.staff.get(outcome.staffId);
    const issued = await this.issue(staff, outcome.sessionId, outcome.expiresAt);
    return outcome.kind === 'rotated'
      ? { ...issued, refresh: { credential: outcome.credential, expiresAt: outcome.expiresAt } }
      : issued;
  }

  /** Ends a session of this staff member (logout); its access tokens stop working at once. */
  async end(staffId: string, sessionId: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      if (await this.repository.revoke({ id: sessionId, staffId }, 'logout', manager)) {
        await this.events.announceRevocation(manager, `staff:${staffId}`);
      }
    });
  }

  /**
   * A signed access token. `gen` ties it to the account's session generation (bumped by a
   * password change, re-enabling, log out everywhere); `jti` names it so that logout can end it
   * alone; `sid` names its sign-in session. It never outlives the session.
   */
  private async issue(
    staff: StaffEntity,
    sessionId: string,
    sessionExpiresAt: Date,
  ): Promise<StaffSession> {
    const expiresAt = new Date(
      Math.min(Date.now() + this.config.staffTokenTtlSeconds * 1000, sessionExpiresAt.getTime()),
    );
    const accessToken = await new SignJWT({
      role: staff.role,
      gen: staff.sessionGeneration,
      sid: sessionId,
    })
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
}

function refused(
  code: ConstructorParameters<typeof UnauthenticatedError>[0],
  message: string,
): RefreshOutcome {
  return { kind: 'refused', error: new UnauthenticatedError(code, message) };
}

/** 256 random bits, URL-safe: a cookie value. */
function newCredential(): string {
  return randomBytes(32).toString('base64url');
}

function hashOf(credential: string): Buffer {
  return createHash('sha256').update(credential).digest();
}

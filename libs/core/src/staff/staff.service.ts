import type { StaffRole } from '@gmdesk/contracts';
import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { hash, verify } from 'argon2';
import { AuditService } from '../audit/audit.service';
import { StaffPrincipal } from '../common/principal';
import { ClientEventsService } from '../notifications/client-events.service';
import { mayGrantRealms, mayManageStaff, sharesRealmWith } from './staff-scope';
import { StaffEntity } from './staff.entity';
import { StaffError, StaffErrorCode } from './staff.errors';
import { StaffRepository } from './staff.repository';

export interface CreateStaffInput {
  readonly username: string;
  readonly displayName: string;
  readonly role: StaffRole;
  readonly password: string;
  readonly realms?: readonly string[];
  readonly languages?: readonly string[];
}

export interface UpdateStaffInput {
  readonly displayName?: string;
  readonly role?: StaffRole;
  readonly password?: string;
  readonly realms?: readonly string[];
  readonly languages?: readonly string[];
  readonly disabled?: boolean;
}

/** What the audit log keeps of a staff account: never the password hash. */
function auditView(staff: StaffEntity): Record<string, unknown> {
  return {
    username: staff.username,
    displayName: staff.displayName,
    role: staff.role,
    realms: staff.realms,
    languages: staff.languages,
    disabled: staff.disabledAt !== null,
  };
}

/** The outcome of a password check; `staffId` says whose account a failure was against, if any. */
export type CredentialCheck =
  | { readonly ok: true; readonly staff: StaffEntity }
  | { readonly ok: false; readonly staffId: string | null };

/** A staff token as the auth layer verified it: its id (`jti`) and generation (`gen`). */
export interface StaffTokenClaims {
  readonly staffId: string;
  readonly tokenId: string | null;
  readonly generation: number;
}

/** Why a staff token no longer works, or the active staff member behind it. */
export type StaffTokenCheck =
  | { readonly valid: true; readonly staff: StaffEntity }
  | { readonly valid: false; readonly reason: 'account_disabled' | 'token_revoked' };

// A fixed hash to verify against when the username does not exist, so a login for an unknown
// user costs the same time as one with a wrong password (no username enumeration by timing).
let dummyHash: Promise<string> | undefined;
const timingEqualiserHash = (): Promise<string> => (dummyHash ??= hash('gmdesk-timing-equaliser'));

@Injectable()
export class StaffService {
  constructor(
    private readonly repository: StaffRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly events: ClientEventsService,
  ) {}

  async create(actor: StaffPrincipal | null, input: CreateStaffInput): Promise<StaffEntity> {
    if (actor && !mayGrantRealms(actor, input.realms ?? [])) {
      throw new StaffError(StaffErrorCode.RealmsForbidden, { realms: input.realms ?? [] });
    }
    const passwordHash = await hash(input.password);
    return this.transactions.run(async (manager) => {
      const staff = await this.repository.insert(
        {
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash,
          realms: [...(input.realms ?? [])],
          languages: [...(input.languages ?? [])],
        },
        manager,
      );
      if (!staff) {
        throw new StaffError(StaffErrorCode.StaffConflict, { username: input.username });
      }
      if (actor) {
        await this.audit.record(
          actor,
          {
            action: 'staff.create',
            targetType: 'staff',
            targetId: staff.id,
            after: auditView(staff),
          },
          manager,
        );
      }
      return staff;
    });
  }

  /** The accounts `viewer` may manage: all of them, or for a realm-restricted admin its realms' staff. */
  async list(viewer: StaffPrincipal): Promise<StaffEntity[]> {
    return (await this.repository.list()).filter((staff) => mayManageStaff(viewer, staff));
  }

  /**
   * Names of the colleagues who share a realm with `viewer` (disabled ones too: they still
   * authored messages and hold assignments), for every staff role: assignees and authors.
   */
  async directory(viewer: StaffPrincipal): Promise<StaffEntity[]> {
    return (await this.repository.list()).filter((staff) => sharesRealmWith(viewer, staff));
  }

  /** One account, if `viewer` may manage it; any other is "not found", like one that does not exist. */
  async view(viewer: StaffPrincipal, id: string): Promise<StaffEntity> {
    const staff = await this.get(id);
    if (!mayManageStaff(viewer, staff)) {
      throw new StaffError(StaffErrorCode.StaffNotFound, { id });
    }
    return staff;
  }

  /** Any account by id, without an access check: for the caller's own account and display names. */
  async get(id: string): Promise<StaffEntity> {
    const staff = await this.repository.findById(id);
    if (!staff) {
      throw new StaffError(StaffErrorCode.StaffNotFound, { id });
    }
    return staff;
  }

  async update(actor: StaffPrincipal, id: string, input: UpdateStaffInput): Promise<StaffEntity> {
    if (
      actor.staffId === id &&
      (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))
    ) {
      throw new StaffError(StaffErrorCode.CannotChangeSelf);
    }
    const passwordHash = input.password === undefined ? undefined : await hash(input.password);
    return this.transactions.run(async (manager) => {
      const before = await this.repository.lockById(id, manager);
      // A realm-restricted admin sees only staff within its realms: the rest is "not found".
      if (!before || !mayManageStaff(actor, before)) {
        throw new StaffError(StaffErrorCode.StaffNotFound, { id });
      }
      if (input.realms !== undefined && !mayGrantRealms(actor, input.realms)) {
        throw new StaffError(StaffErrorCode.RealmsForbidden, { realms: input.realms });
      }
      const disabledChanges =
        input.disabled !== undefined && input.disabled !== (before.disabledAt !== null);
      // A new password or re-enabling must not bring back tokens issued before: they carry the
      // old generation. Disabling bumps it too, so re-enabling later cannot revive them either.
      const endsTokens = passwordHash !== undefined || disabledChanges;
      const changes = {
        ...(input.displayName !== undefined && { displayName: input.displayName }),
        ...(input.role !== undefined && { role: input.role }),
        ...(passwordHash !== undefined && { passwordHash }),
        ...(input.realms !== undefined && { realms: [...input.realms] }),
        ...(input.languages !== undefined && { languages: [...input.languages] }),
        ...(input.disabled !== undefined && {
          disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null,
        }),
        ...(endsTokens && { sessionGeneration: before.sessionGeneration + 1 }),
      };
      await this.repository.update(id, changes, manager);
      // Every gateway re-checks the live sessions of this account: the ones whose token no longer
      // works (disabled, password changed) end for good; after a role or realm change they end
      // with `credentials_changed` and reconnect with the same token to get the new rights.
      // A new display name too: processes cache the staff principal (it carries the name
      // players see on replies); the gateways' re-check keeps sessions whose rights did not change.
      if (
        endsTokens ||
        input.disabled === true ||
        input.role !== undefined ||
        input.realms !== undefined ||
        input.displayName !== undefined
      ) {
        await this.events.announceRevocation(manager, `staff:${id}`);
      }
      const after = { ...before, ...changes };
      await this.audit.record(
        actor,
        {
          action: input.password === undefined ? 'staff.update' : 'staff.update_with_password',
          targetType: 'staff',
          targetId: id,
          before: auditView(before),
          after: auditView(after),
        },
        manager,
      );
      return after;
    });
  }

  /**
   * Checks a password: unknown user, wrong password and disabled account are the same failure,
   * in about the same time (no username enumeration by timing).
   */
  async checkCredentials(username: string, password: string): Promise<CredentialCheck> {
    const staff = await this.repository.findByUsername(username);
    const matches = staff
      ? await verify(staff.passwordHash, password)
      : await verify(await timingEqualiserHash(), password).then(() => false);
    if (!staff || !matches || staff.disabledAt) {
      return { ok: false, staffId: staff?.id ?? null };
    }
    return { ok: true, staff };
  }

  /** The active staff member behind a token, or null when deleted or disabled since it was issued. */
  async findActive(id: string): Promise<StaffEntity | null> {
    const staff = await this.repository.findById(id);
    return staff && !staff.disabledAt ? staff : null;
  }

  /**
   * Whether a verified staff token still stands: the account is active, the token's generation is
   * the current one (no password change, re-enabling or "log out everywhere" since), and this
   * token was not logged out.
   */
  async checkToken(claims: StaffTokenClaims): Promise<StaffTokenCheck> {
    const found = await this.repository.findForToken(claims.staffId, claims.tokenId);
    if (!found || found.staff.disabledAt) {
      return { valid: false, reason: 'account_disabled' };
    }
    if (found.tokenRevoked || found.staff.sessionGeneration !== claims.generation) {
      return { valid: false, reason: 'token_revoked' };
    }
    return { valid: true, staff: found.staff };
  }

  /** Logs out one token: it stops working at once, on REST and on live sockets. */
  endSession(actor: StaffPrincipal, token: { id: string; expiresAt: Date }): Promise<void> {
    return this.transactions.run(async (manager) => {
      await this.repository.revokeToken({ ...token, staffId: actor.staffId }, manager);
      await this.events.announceRevocation(manager, `staff:${actor.staffId}`);
      await this.audit.record(
        actor,
        { action: 'staff.logout', targetType: 'staff', targetId: actor.staffId },
        manager,
      );
    });
  }

  /** Logs out every token of the account (every console tab and device); live sockets end too. */
  endAllSessions(actor: StaffPrincipal): Promise<void> {
    return this.transactions.run(async (manager) => {
      if (!(await this.repository.bumpSessionGeneration(actor.staffId, manager))) {
        throw new StaffError(StaffErrorCode.StaffNotFound, { id: actor.staffId });
      }
      await this.events.announceRevocation(manager, `staff:${actor.staffId}`);
      await this.audit.record(
        actor,
        { action: 'staff.logout_everywhere', targetType: 'staff', targetId: actor.staffId },
        manager,
      );
    });
  }

  hasAnyStaff(): Promise<boolean> {
    return this.repository.hasAny();
  }
}

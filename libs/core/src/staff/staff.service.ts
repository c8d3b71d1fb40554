import type { StaffRole } from '@gmdesk/contracts';
import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { hash, verify } from 'argon2';
import { AuditService } from '../audit/audit.service';
import { StaffPrincipal } from '../common/principal';
import { ClientEventsService } from '../notifications/client-events.service';
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

  list(): Promise<StaffEntity[]> {
    return this.repository.list();
  }

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
      if (!before) {
        throw new StaffError(StaffErrorCode.StaffNotFound, { id });
      }
      const changes = {
        ...(input.displayName !== undefined && { displayName: input.displayName }),
        ...(input.role !== undefined && { role: input.role }),
        ...(passwordHash !== undefined && { passwordHash }),
        ...(input.realms !== undefined && { realms: [...input.realms] }),
        ...(input.languages !== undefined && { languages: [...input.languages] }),
        ...(input.disabled !== undefined && {
          disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null,
        }),
      };
      await this.repository.update(id, changes, manager);
      // Live sessions of a disabled account (or one whose role or realms changed) end now, on
      // every gateway; the client logs in again and gets a fresh principal.
      if (input.disabled === true || input.role !== undefined || input.realms !== undefined) {
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

  /** Checks a password; the same error (and about the same time) for unknown user and wrong password. */
  async verifyCredentials(username: string, password: string): Promise<StaffEntity> {
    const staff = await this.repository.findByUsername(username);
    const matches = staff
      ? await verify(staff.passwordHash, password)
      : await verify(await timingEqualiserHash(), password).then(() => false);
    if (!staff || !matches || staff.disabledAt) {
      throw new StaffError(StaffErrorCode.InvalidCredentials);
    }
    return staff;
  }

  /** The active staff member behind a token, or null when deleted or disabled since it was issued. */
  async findActive(id: string): Promise<StaffEntity | null> {
    const staff = await this.repository.findById(id);
    return staff && !staff.disabledAt ? staff : null;
  }

  hasAnyStaff(): Promise<boolean> {
    return this.repository.hasAny();
  }
}

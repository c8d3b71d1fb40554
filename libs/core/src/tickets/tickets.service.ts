import type {
  MessageVisibility,
  SupportCategory,
  TicketKind,
  TicketPriority,
  TicketStatus,
} from '@gmdesk/contracts';
import { isUniqueViolation, TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { decodeCursor, encodeCursor, Page } from '../common/page';
import {
  PlayerPrincipal,
  Principal,
  principalKey,
  staffCoversRealm,
  StaffPrincipal,
} from '../common/principal';
import { realmScopeOf } from '../common/realm-scope';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { PlayerEntity } from '../players/player.entity';
import { PlayersService } from '../players/players.service';
import { StaffService } from '../staff/staff.service';
import { canTransition, isOpenStatus, statusAfterPublicMessage } from './ticket-lifecycle';
import { TicketMessageEntity } from './ticket-message.entity';
import { TicketNotifier } from './ticket-notifier';
import { PRIORITY_RANK } from './ticket-priority';
import { slaDueTimes } from './ticket-sla';
import { TicketEntity } from './ticket.entity';
import { TicketError, TicketErrorCode } from './tickets.errors';
import {
  TicketChanges,
  TicketListFilter,
  TicketListPosition,
  TicketListRow,
  TicketMessageRow,
  TicketSort,
  TicketsRepository,
} from './tickets.repository';

export interface OpenSupportTicketInput {
  readonly category: SupportCategory;
  readonly subject: string;
  readonly body: string;
  readonly language?: string;
}

export interface ListTicketsInput {
  readonly statuses?: readonly TicketStatus[];
  readonly kind?: TicketKind;
  readonly category?: string;
  readonly realmId?: string;
  readonly priority?: TicketPriority;
  readonly assignee?: string;
  /** Staff only, with realmId: the tickets this player (game account id) opened. */
  readonly requesterAccountId?: string;
  readonly sort?: TicketSort;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface AddMessageInput {
  readonly body: string;
  /** Staff only; players always write public messages. */
  readonly visibility?: MessageVisibility;
}

export interface UpdateTicketInput {
  readonly priority?: TicketPriority;
  readonly tags?: readonly string[];
}

/**
 * What closing a moderation case does beyond the ticket: resolving its open reports
 * (ReportsService.resolveCase). The tickets domain does not know reports (they depend on it), so
 * the caller supplies the step (casework does); it is required, so no caller can close a case and
 * forget its reports. It runs in the status change's transaction, with the case row locked,
 * whenever a moderation case enters `solved` or `closed`.
 */
export type CaseClosingStep = (
  caseTicket: TicketEntity,
  manager: EntityManager,
) => Promise<unknown>;

/** A message written, or the one an earlier call with the same Idempotency-Key wrote. */
export interface WrittenMessage {
  readonly message: TicketMessageEntity;
  readonly replayed: boolean;
}

export interface OpenedTicket {
  readonly ticket: TicketEntity;
  /** The player who opened it, when this call created it (null for a replayed answer). */
  readonly requester: PlayerEntity | null;
  readonly replayed: boolean;
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly repository: TicketsRepository,
    private readonly players: PlayersService,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly transactions: TransactionRunner,
    private readonly notifier: TicketNotifier,
  ) {}

  async openSupportTicket(
    player: PlayerPrincipal,
    input: OpenSupportTicketInput,
    idempotencyKey?: string,
  ): Promise<OpenedTicket> {
    // What this call created, kept so that a first (not replayed) answer needs no second read.
    let created: { ticket: TicketEntity; requester: PlayerEntity } | undefined;
    const result = await this.idempotency.run(
      { scope: `${principalKey(player)}:tickets`, key: idempotencyKey, request: input },
      async (manager) => {
        const requester = await this.players.ensure(
          player.realmId,
          player.accountId,
          { displayName: player.displayName, language: input.language },
          manager,
        );
        const priority: TicketPriority = 'normal';
        const ticket = await this.repository.insertSupportTicket(
          {
            realmId: player.realmId,
            priority,
            priorityRank: PRIORITY_RANK[priority],
            category: input.category,
            subject: input.subject,
            requesterPlayerId: requester.id,
            language: input.language ?? requester.language,
            ...slaDueTimes('support', priority, new Date()),
          },
          input.body,
          manager,
        );
        await this.notifier.opened(manager, ticket);
        created = { ticket, requester };
        return { status: 201, body: { ticketId: ticket.id } };
      },
    );
    if (created && !result.replayed) {
      return { ...created, replayed: false };
    }
    const ticket = await this.repository.findById(result.body.ticketId, realmScopeOf(player));
    if (!ticket) {
      throw new TicketError(TicketErrorCode.TicketNotFound);
    }
    return { ticket, requester: null, replayed: result.replayed };
  }

  async list(
    viewer: PlayerPrincipal | StaffPrincipal,
    input: ListTicketsInput,
  ): Promise<Page<TicketListRow>> {
    const limit = input.limit ?? 25;
    const sort = input.sort ?? 'queue';
    const { requesterAccountId, ...criteria } = input;
    const filter: TicketListFilter = {
      ...criteria,
      ...(await this.requesterFilter(viewer, input.realmId, requesterAccountId)),
      ...(await this.viewerFilter(viewer)),
    };
    if (filter.requesterPlayerId === 'nobody') {
      return { items: [], nextCursor: null };
    }
    const rows = await this.repository.list(
      filter,
      realmScopeOf(viewer),
      sort,
      this.position(sort, input.cursor),
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor(
            sort === 'queue'
              ? [sort, last.priorityRank, last.createdAt.toISOString(), last.id]
              : [sort, last.createdAt.toISOString(), last.id],
          )
        : null;
    return { items, nextCursor };
  }

  /** Loads a ticket the viewer may see; someone else's ticket is "not found", not "forbidden". */
  async getVisible(viewer: Principal, ticketId: string): Promise<TicketListRow> {
    const ticket = await this.repository.findById(ticketId, realmScopeOf(viewer));
    const viewerPlayer =
      ticket && viewer.kind === 'player'
        ? await this.players.findByAccount(viewer.realmId, viewer.accountId)
        : null;
    if (!ticket || !mayView(viewer, ticket, viewerPlayer?.id ?? null)) {
      throw new TicketError(TicketErrorCode.TicketNotFound, { ticketId });
    }
    return ticket;
  }

  listMessages(viewer: Principal, ticket: TicketEntity): Promise<TicketMessageRow[]> {
    return this.repository.listMessages(ticket.id, viewer.kind === 'staff');
  }

  async addMessage(
    author: PlayerPrincipal | StaffPrincipal,
    ticketId: string,
    input: AddMessageInput,
    idempotencyKey?: string,
  ): Promise<WrittenMessage> {
    const visibility = author.kind === 'staff' ? (input.visibility ?? 'public') : 'public';
    // The name a player sees on a GM's reply; read before the transaction, which must not wait
    // for a second connection (libs/db/src/transaction.ts).
    const authorName =
      author.kind === 'staff' && visibility === 'public'
        ? (author.displayName ?? (await this.staff.get(author.staffId)).displayName)
        : null;
    // What this call wrote, kept so that a first (not replayed) answer needs no second read.
    let written: TicketMessageEntity | undefined;
    // Scoped to the ticket too: the same key on another ticket is another message.
    const scope = `${principalKey(author)}:tickets/${ticketId}/messages`;
    const result = await this.idempotency.run(
      { scope, key: idempotencyKey, request: input },
      async (manager) => {
        const ticket = await this.repository.lockById(ticketId, realmScopeOf(author), manager);
        const authorPlayer =
          ticket && author.kind === 'player'
            ? await this.players.ensure(author.realmId, author.accountId, {}, manager)
            : null;
        if (!ticket || !mayView(author, ticket, authorPlayer?.id ?? null)) {
          throw new TicketError(TicketErrorCode.TicketNotFound, { ticketId });
        }
        if (ticket.status === 'closed') {
          throw new TicketError(TicketErrorCode.TicketClosed, { ticketId });
        }
        const message = await this.repository.insertMessage(
          {
            ticketId,
            authorType: author.kind,
            authorPlayerId: authorPlayer?.id ?? null,
            authorStaffId: author.kind === 'staff' ? author.staffId : null,
            visibility,
            body: input.body,
          },
          manager,
        );
        const statusAfter =
          visibility === 'public'
            ? statusAfterPublicMessage(ticket.status, author.kind)
            : ticket.status;
        if (visibility === 'public') {
          const status = statusAfter;
          const changes: TicketChanges = {
            ...(status !== ticket.status && {
              status,
              solvedAt: isOpenStatus(status) ? null : ticket.solvedAt,
            }),
            ...(author.kind === 'staff' &&
              !ticket.firstRespondedAt && { firstRespondedAt: message.createdAt }),
          };
          if (Object.keys(changes).length > 0) {
            await this.repository.update(ticketId, changes, manager);
          }
        }
        if (author.kind === 'staff') {
          await this.audit.record(
            author,
            {
              action: visibility === 'public' ? 'ticket.reply' : 'ticket.internal_note',
              targetType: 'ticket',
              targetId: ticketId,
              realmId: ticket.realmId,
              after: { messageId: message.id },
            },
            manager,
          );
        }
        await this.notifier.messageAdded(manager, ticket, message, statusAfter, authorName);
        written = message;
        return { status: 201, body: { messageId: message.id } };
      },
    );
    if (written && !result.replayed) {
      return { message: written, replayed: false };
    }
    // A replay: the message the first call wrote (still visible to its author: messages are
    // never deleted, and a replay after losing access to the ticket is refused like a read).
    await this.getVisible(author, ticketId);
    const message = await this.repository.findMessage(ticketId, result.body.messageId);
    if (!message) {
      throw new TicketError(TicketErrorCode.TicketNotFound, { ticketId });
    }
    return { message, replayed: true };
  }

  async assign(
    actor: StaffPrincipal,
    ticketId: string,
    assigneeId: string | null,
  ): Promise<TicketEntity> {
    if (assigneeId !== null) {
      const assignee = await this.staff.findActive(assigneeId);
      const ticket = await this.getVisible(actor, ticketId);
      if (
        !assignee ||
        !staffCoversRealm(
          { kind: 'staff', staffId: assignee.id, role: assignee.role, realms: assignee.realms },
          ticket.realmId,
        )
      ) {
        throw new TicketError(TicketErrorCode.AssigneeNotFound, { assigneeId });
      }
    }
    return this.change(actor, ticketId, 'ticket.assign', (ticket) =>
      ticket.assigneeStaffId === assigneeId ? {} : { assigneeStaffId: assigneeId },
    );
  }

  /**
   * Moves a ticket along its lifecycle. A moderation case entering `solved` or `closed` runs
   * `closeCase` in the same transaction (its reports are resolved then). Reopening a case leaves
   * its resolved reports resolved: their outcome was decided and credibility moved; reports filed
   * later join the reopened case while it is open. A case cannot be reopened while a newer open
   * case about the same player and category group exists (reports after the solve opened it):
   * that one holds the new reports, so it is refused with ticket_case_conflict.
   */
  changeStatus(
    actor: StaffPrincipal,
    ticketId: string,
    status: TicketStatus,
    closeCase: CaseClosingStep,
  ): Promise<TicketEntity> {
    return this.change(
      actor,
      ticketId,
      'ticket.status',
      async (ticket, manager) => {
        if (ticket.status === status) {
          return {};
        }
        if (!canTransition(ticket.status, status)) {
          throw new TicketError(TicketErrorCode.InvalidTransition, {
            from: ticket.status,
            to: status,
          });
        }
        if (ticket.kind === 'moderation' && isOpenStatus(status) && !isOpenStatus(ticket.status)) {
          const open = await this.repository.findOpenCase(ticket, manager);
          if (open && open.id !== ticket.id) {
            throw new TicketError(TicketErrorCode.CaseConflict, { openCaseId: open.id });
          }
        }
        const now = new Date();
        return {
          status,
          ...(status === 'solved' && { solvedAt: now }),
          ...(status === 'closed' && { closedAt: now }),
          ...(isOpenStatus(status) && { solvedAt: null }),
        };
      },
      async (after, manager) => {
        if (after.kind === 'moderation' && !isOpenStatus(after.status)) {
          await closeCase(after, manager);
        }
      },
    );
  }

  update(actor: StaffPrincipal, ticketId: string, input: UpdateTicketInput): Promise<TicketEntity> {
    return this.change(actor, ticketId, 'ticket.update', (ticket) => ({
      // Setting the priority pins it, even to the value it had: later assessments must not move it.
      ...(input.priority !== undefined &&
        (input.priority !== ticket.priority || !ticket.priorityOverridden) && {
          priority: input.priority,
          priorityRank: PRIORITY_RANK[input.priority],
          priorityOverridden: true,
        }),
      // The SLA follows the priority: an escalated ticket is due sooner.
      ...(input.priority !== undefined &&
        input.priority !== ticket.priority &&
        slaDueTimes(ticket.kind, input.priority, ticket.createdAt)),
      ...(input.tags !== undefined && { tags: [...new Set(input.tags)].sort() }),
    }));
  }

  /**
   * Locks the ticket, applies a staff change, audits before/after, all in one transaction.
   * `afterChange` runs once the change is stored (and only when something changed), before the
   * notifications, which append to the shared staff stream and so come last.
   */
  private change(
    actor: StaffPrincipal,
    ticketId: string,
    action: string,
    decide: (
      ticket: TicketEntity,
      manager: EntityManager,
    ) => TicketChanges | Promise<TicketChanges>,
    afterChange?: (after: TicketEntity, manager: EntityManager) => Promise<void>,
  ): Promise<TicketEntity> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.repository.lockById(ticketId, realmScopeOf(actor), manager);
      if (!ticket) {
        throw new TicketError(TicketErrorCode.TicketNotFound, { ticketId });
      }
      const changes = await decide(ticket, manager);
      if (Object.keys(changes).length === 0) {
        return ticket;
      }
      try {
        await this.repository.update(ticketId, changes, manager);
      } catch (error) {
        // A case reopened while a first report opened a new one for the same player and group.
        if (isUniqueViolation(error, 'tickets_one_open_case_idx')) {
          throw new TicketError(TicketErrorCode.CaseConflict, { ticketId });
        }
        throw error;
      }
      const before = Object.fromEntries(
        Object.keys(changes).map((key) => [key, ticket[key as keyof TicketEntity]]),
      );
      await this.audit.record(
        actor,
        {
          action,
          targetType: 'ticket',
          targetId: ticketId,
          realmId: ticket.realmId,
          before,
          after: changes,
        },
        manager,
      );
      const after =
        (await this.repository.lockById(ticketId, realmScopeOf(actor), manager)) ?? ticket;
      await afterChange?.(after, manager);
      await this.notifier.changed(manager, ticket, after, action.replace(/^ticket\./, ''));
      return after;
    });
  }

  /** The player who opened a support ticket the viewer may see (null for cases), e.g. for typing indicators. */
  async findRequester(viewer: StaffPrincipal, ticketId: string): Promise<PlayerEntity | null> {
    const ticket = await this.getVisible(viewer, ticketId);
    if (!ticket.requesterPlayerId) {
      return null;
    }
    const [requester] = await this.players.findByIds([ticket.requesterPlayerId]);
    return requester ?? null;
  }

  /** Staff asking for one player's tickets; account ids are unique per realm only. */
  private async requesterFilter(
    viewer: PlayerPrincipal | StaffPrincipal,
    realmId: string | undefined,
    accountId: string | undefined,
  ): Promise<Partial<TicketListFilter>> {
    if (viewer.kind !== 'staff' || accountId === undefined) {
      return {};
    }
    if (realmId === undefined) {
      throw new CommonError(
        CommonErrorCode.ValidationFailed,
        'Filtering by requesterAccountId needs a realmId.',
        [{ field: 'realmId', problem: 'is required with requesterAccountId' }],
      );
    }
    const requester = await this.players.findByAccount(realmId, accountId);
    return { requesterPlayerId: requester?.id ?? 'nobody' };
  }

  private async viewerFilter(
    viewer: PlayerPrincipal | StaffPrincipal,
  ): Promise<Partial<TicketListFilter>> {
    if (viewer.kind === 'staff') {
      return {};
    }
    const player = await this.players.findByAccount(viewer.realmId, viewer.accountId);
    return { kind: 'support', requesterPlayerId: player?.id ?? 'nobody' };
  }

  private position(sort: TicketSort, cursor: string | undefined): TicketListPosition | null {
    if (cursor === undefined) {
      return null;
    }
    const values = decodeCursor(cursor);
    // Every value is checked, not only its type: a cursor comes from the client, and a value the
    // database cannot parse must be a 400, not a failed query.
    if (values?.[0] === sort && sort === 'queue' && values.length === 4) {
      const [, priorityRank, createdAt, id] = values;
      if (
        typeof priorityRank === 'number' &&
        Object.values(PRIORITY_RANK).includes(priorityRank) &&
        isCursorTimestamp(createdAt) &&
        isUuid(id)
      ) {
        return { sort, priorityRank, createdAt, id };
      }
    }
    if (values?.[0] === sort && sort === 'newest' && values.length === 3) {
      const [, createdAt, id] = values;
      if (isCursorTimestamp(createdAt) && isUuid(id)) {
        return { sort, createdAt, id };
      }
    }
    throw new CommonError(
      CommonErrorCode.ValidationFailed,
      'The cursor is not valid for this listing.',
      [{ field: 'cursor', problem: 'is not a cursor this listing issued (was the sort changed?)' }],
    );
  }
}

/**
 * Whether the viewer may see the ticket: staff in its realm, or the player who opened it
 * (`viewerPlayerId`: the viewer's own player row, resolved by the caller, null if none).
 */
function mayView(viewer: Principal, ticket: TicketEntity, viewerPlayerId: string | null): boolean {
  switch (viewer.kind) {
    case 'staff':
      return staffCoversRealm(viewer, ticket.realmId);
    case 'game_server':
      return false;
    case 'player':
      return (
        ticket.kind === 'support' &&
        ticket.realmId === viewer.realmId &&
        viewerPlayerId !== null &&
        ticket.requesterPlayerId === viewerPlayerId
      );
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Cursors carry `Date#toISOString()` output; anything else was not issued by us. */
function isCursorTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

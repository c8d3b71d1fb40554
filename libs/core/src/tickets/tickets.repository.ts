import type { TicketKind, TicketPriority, TicketStatus } from '@gmdesk/contracts';
import { selectList, sql, SqlRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { RealmScope } from '../common/realm-scope';
import { TicketMessageEntity } from './ticket-message.entity';
import { TicketEntity } from './ticket.entity';

export type TicketSort = 'queue' | 'newest';

export interface TicketListFilter {
  readonly statuses?: readonly TicketStatus[];
  readonly kind?: TicketKind;
  readonly category?: string;
  readonly realmId?: string;
  readonly priority?: TicketPriority;
  /** A staff id, or `none` for unassigned tickets. */
  readonly assignee?: string;
  readonly requesterPlayerId?: string;
  readonly subjectPlayerId?: string;
}

/** The sort key of the last row of the previous page. */
export type TicketListPosition =
  | {
      readonly sort: 'queue';
      readonly priorityRank: number;
      readonly createdAt: string;
      readonly id: string;
    }
  | { readonly sort: 'newest'; readonly createdAt: string; readonly id: string };

export type NewTicket = Omit<TicketEntity, 'id' | 'createdAt' | 'updatedAt'>;

/** A ticket locked for a change, with its requester's game server (where `player.notify` goes). */
export type LockedTicket = TicketListRow & { readonly requesterOnlineServerId: string | null };

/** A message with its author player's account id and name (null when not a player). */
export type TicketMessageRow = TicketMessageEntity & {
  readonly authorAccountId: string | null;
  readonly authorDisplayName: string | null;
};

/** A ticket of a listing, with the account ids and names of its requester and subject player. */
export type TicketListRow = TicketEntity & {
  readonly requesterAccountId: string | null;
  readonly requesterDisplayName: string | null;
  readonly subjectAccountId: string | null;
  readonly subjectDisplayName: string | null;
};
export type TicketChanges = Partial<
  Omit<TicketEntity, 'id' | 'realmId' | 'kind' | 'createdAt' | 'updatedAt'>
>;

const TICKET_PROPERTIES = {
  id: 'id',
  realmId: 'realm_id',
  kind: 'kind',
  status: 'status',
  priority: 'priority',
  priorityRank: 'priority_rank',
  priorityOverridden: 'priority_overridden',
  category: 'category',
  subject: 'subject',
  requesterPlayerId: 'requester_player_id',
  subjectPlayerId: 'subject_player_id',
  language: 'language',
  assigneeStaffId: 'assignee_staff_id',
  tags: 'tags',
  flags: 'flags',
  score: 'score',
  reportCount: 'report_count',
  reporterCount: 'reporter_count',
  firstResponseDueAt: 'first_response_due_at',
  resolutionDueAt: 'resolution_due_at',
  firstRespondedAt: 'first_responded_at',
  solvedAt: 'solved_at',
  closedAt: 'closed_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;
const TICKET_COLUMNS = selectList(TICKET_PROPERTIES);
const TICKET_LIST_COLUMNS = [
  selectList(TICKET_PROPERTIES, 't'),
  'requester.account_id AS "requesterAccountId"',
  'requester.display_name AS "requesterDisplayName"',
  'subject.account_id AS "subjectAccountId"',
  'subject.display_name AS "subjectDisplayName"',
].join(', ');

const MESSAGE_PROPERTIES = {
  id: 'id',
  ticketId: 'ticket_id',
  authorType: 'author_type',
  authorPlayerId: 'author_player_id',
  authorStaffId: 'author_staff_id',
  visibility: 'visibility',
  body: 'body',
  createdAt: 'created_at',
} as const;
const MESSAGE_COLUMNS = selectList(MESSAGE_PROPERTIES);

/** A player's support ticket and its first message, in one statement. */
const INSERT_SUPPORT_TICKET = sql<TicketEntity>(
  'tickets.insert-support',
  `WITH ticket AS (
     INSERT INTO tickets (realm_id, kind, status, priority, priority_rank, category, subject,
                          requester_player_id, language, first_response_due_at, resolution_due_at)
     VALUES ($1, 'support', 'new', $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING *
   ), first_message AS (
     INSERT INTO ticket_messages (ticket_id, author_type, author_player_id, visibility, body)
     SELECT id, 'player', requester_player_id, 'public', $10 FROM ticket
   )
   SELECT ${TICKET_COLUMNS} FROM ticket`,
);

/**
 * The case rule as one statement: a new moderation case, or the open one of this offender, group
 * and realm (tickets_one_open_case_idx), locked by the no-op update.
 */
const UPSERT_OPEN_CASE = sql<TicketEntity>(
  'tickets.upsert-open-case',
  `INSERT INTO tickets (realm_id, kind, status, priority, priority_rank, category, subject,
                        subject_player_id, first_response_due_at, resolution_due_at)
   VALUES ($1, 'moderation', 'new', $2, $3, $4, $5, $6, $7, $8)
   ON CONFLICT (realm_id, subject_player_id, category)
     WHERE kind = 'moderation' AND status IN ('new', 'open', 'pending')
   DO UPDATE SET updated_at = tickets.updated_at
   RETURNING ${TICKET_COLUMNS}`,
);

const UPDATE_ASSESSMENT = sql(
  'tickets.update-assessment',
  `UPDATE tickets
      SET score = $2, report_count = $3, reporter_count = $4, flags = $5, priority = $6,
          priority_rank = $7, resolution_due_at = $8, updated_at = now()
    WHERE id = $1`,
);

/** $2: the realms the caller may see, or null for all of them. With the players' names. */
const TICKET_BY_ID = sql<TicketListRow>(
  'tickets.by-id',
  `SELECT ${TICKET_LIST_COLUMNS}
     FROM tickets t
     LEFT JOIN players requester ON requester.id = t.requester_player_id
     LEFT JOIN players subject ON subject.id = t.subject_player_id
    WHERE t.id = $1 AND ($2::text[] IS NULL OR t.realm_id = ANY($2::text[]))`,
);

/** The ticket locked, with what notifying its requester needs (no second read in the change). */
const LOCK_TICKET_BY_ID = sql<LockedTicket>(
  'tickets.lock-by-id',
  `SELECT ${TICKET_LIST_COLUMNS}, requester.online_server_id AS "requesterOnlineServerId"
     FROM tickets t
     LEFT JOIN players requester ON requester.id = t.requester_player_id
     LEFT JOIN players subject ON subject.id = t.subject_player_id
    WHERE t.id = $1 AND ($2::text[] IS NULL OR t.realm_id = ANY($2::text[]))
    FOR UPDATE OF t`,
);

const INSERT_MESSAGE = sql<TicketMessageEntity>(
  'tickets.insert-message',
  `INSERT INTO ticket_messages (ticket_id, author_type, author_player_id, author_staff_id, visibility, body)
   VALUES ($1, $2, $3, $4, $5, $6)
   RETURNING ${MESSAGE_COLUMNS}`,
);

/** With the author player's account id and name (null for staff and system messages). */
const MESSAGES_OF_TICKET = sql<TicketMessageRow>(
  'tickets.messages',
  `SELECT ${selectList(MESSAGE_PROPERTIES, 'm')},
          author.account_id AS "authorAccountId", author.display_name AS "authorDisplayName"
     FROM ticket_messages m
     LEFT JOIN players author ON author.id = m.author_player_id
    WHERE m.ticket_id = $1 AND ($2 OR m.visibility = 'public')
    ORDER BY m.created_at, m.id`,
);

const MESSAGE_BY_ID = sql<TicketMessageEntity>(
  'tickets.message-by-id',
  `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE id = $1 AND ticket_id = $2`,
);

const realmsParameter = (scope: RealmScope): string[] | null =>
  scope.kind === 'all' ? null : [...scope.realmIds];

@Injectable()
export class TicketsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlRunner,
  ) {}

  /** A support ticket with the player's first message; returns the stored ticket. */
  async insertSupportTicket(
    ticket: Pick<
      NewTicket,
      | 'realmId'
      | 'priority'
      | 'priorityRank'
      | 'category'
      | 'subject'
      | 'language'
      | 'firstResponseDueAt'
      | 'resolutionDueAt'
    > & { readonly requesterPlayerId: string },
    firstMessageBody: string,
    manager: EntityManager,
  ): Promise<TicketEntity> {
    const [stored] = await this.sql.queryIn(manager, INSERT_SUPPORT_TICKET, [
      ticket.realmId,
      ticket.priority,
      ticket.priorityRank,
      ticket.category,
      ticket.subject,
      ticket.requesterPlayerId,
      ticket.language,
      ticket.firstResponseDueAt,
      ticket.resolutionDueAt,
      firstMessageBody,
    ]);
    if (!stored) {
      throw new Error('the ticket insert returned no row');
    }
    return stored;
  }

  /**
   * Inserts a moderation case unless an open one exists for the same offender, group and realm;
   * either way returns the open case, locked for this transaction.
   */
  async insertCaseOrLockOpen(ticket: NewTicket, manager: EntityManager): Promise<TicketEntity> {
    // One statement either way: ON CONFLICT … DO UPDATE locks the open case it collides with and
    // returns it. When that case is solved while this waits for its lock, PostgreSQL finds no
    // conflict any more and inserts a new case instead, so the answer is always an open case.
    const [open] = await this.sql.queryIn(manager, UPSERT_OPEN_CASE, [
      ticket.realmId,
      ticket.priority,
      ticket.priorityRank,
      ticket.category,
      ticket.subject,
      ticket.subjectPlayerId,
      ticket.firstResponseDueAt,
      ticket.resolutionDueAt,
    ]);
    if (!open) {
      throw new Error('the open-case upsert returned no row');
    }
    return open;
  }

  /** Writes a case's new assessment (counts, score, flags, and priority with its SLA). */
  async updateAssessment(
    id: string,
    assessment: Pick<
      TicketEntity,
      'score' | 'reportCount' | 'reporterCount' | 'flags' | 'priority' | 'priorityRank'
    > &
      Pick<TicketEntity, 'resolutionDueAt'>,
    manager: EntityManager,
  ): Promise<void> {
    await this.sql.queryIn(manager, UPDATE_ASSESSMENT, [
      id,
      assessment.score,
      assessment.reportCount,
      assessment.reporterCount,
      assessment.flags,
      assessment.priority,
      assessment.priorityRank,
      assessment.resolutionDueAt,
    ]);
  }

  /** The open case about this player in this realm and category group, if any (not locked). */
  findOpenCase(
    key: Pick<TicketEntity, 'realmId' | 'subjectPlayerId' | 'category'>,
    manager: EntityManager,
  ): Promise<TicketEntity | null> {
    return this.openCaseQuery(key, manager).getOne();
  }

  private openCaseQuery(
    key: Pick<TicketEntity, 'realmId' | 'subjectPlayerId' | 'category'>,
    manager: EntityManager,
  ): SelectQueryBuilder<TicketEntity> {
    return manager
      .createQueryBuilder(TicketEntity, 'ticket')
      .where('ticket.realm_id = :realmId', { realmId: key.realmId })
      .andWhere('ticket.subject_player_id = :subject', { subject: key.subjectPlayerId })
      .andWhere('ticket.category = :category', { category: key.category })
      .andWhere(`ticket.kind = 'moderation' AND ticket.status IN ('new', 'open', 'pending')`);
  }

  async findById(id: string, scope: RealmScope): Promise<TicketListRow | null> {
    return (await this.sql.query(TICKET_BY_ID, [id, realmsParameter(scope)]))[0] ?? null;
  }

  /**
   * The ticket, locked until the transaction ends: changes to one ticket (replies, status,
   * assignment) apply one after another, each seeing the one before.
   */
  async lockById(
    id: string,
    scope: RealmScope,
    manager: EntityManager,
  ): Promise<LockedTicket | null> {
    return (
      (await this.sql.queryIn(manager, LOCK_TICKET_BY_ID, [id, realmsParameter(scope)]))[0] ?? null
    );
  }

  async update(id: string, changes: TicketChanges, manager: EntityManager): Promise<void> {
    await manager.update(TicketEntity, { id }, changes);
  }

  /**
   * A page of the queue (or a player's own tickets), with the names of the requester and the
   * subject player joined in. The SQL text depends only on which filters are present, so each
   * shape is prepared once per connection under its own name.
   */
  async list(
    filter: TicketListFilter,
    scope: RealmScope,
    sort: TicketSort,
    after: TicketListPosition | null,
    limit: number,
  ): Promise<TicketListRow[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const shape: string[] = [sort];
    const where = (name: string, condition: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(condition(`$${values.length}`));
      shape.push(name);
    };
    if (scope.kind === 'realms') {
      where('scope', (p) => `t.realm_id = ANY(${p}::text[])`, [...scope.realmIds]);
    }
    if (filter.statuses?.length) {
      where('status', (p) => `t.status = ANY(${p}::text[])`, [...filter.statuses]);
    }
    if (filter.kind) {
      where('kind', (p) => `t.kind = ${p}`, filter.kind);
    }
    if (filter.category) {
      where('category', (p) => `t.category = ${p}`, filter.category);
    }
    if (filter.realmId) {
      where('realm', (p) => `t.realm_id = ${p}`, filter.realmId);
    }
    if (filter.priority) {
      where('priority', (p) => `t.priority = ${p}`, filter.priority);
    }
    if (filter.assignee === 'none') {
      conditions.push('t.assignee_staff_id IS NULL');
      shape.push('unassigned');
    } else if (filter.assignee) {
      where('assignee', (p) => `t.assignee_staff_id = ${p}::uuid`, filter.assignee);
    }
    if (filter.requesterPlayerId) {
      where('requester', (p) => `t.requester_player_id = ${p}::uuid`, filter.requesterPlayerId);
    }
    if (filter.subjectPlayerId) {
      where('subject', (p) => `t.subject_player_id = ${p}::uuid`, filter.subjectPlayerId);
    }
    let order: string;
    if (sort === 'queue') {
      order = 't.priority_rank ASC, t.created_at ASC, t.id ASC';
      if (after?.sort === 'queue') {
        values.push(after.priorityRank, after.createdAt, after.id);
        const n = values.length;
        conditions.push(
          `(t.priority_rank, t.created_at, t.id) > ($${n - 2}::smallint, $${n - 1}::timestamptz, $${n}::uuid)`,
        );
        shape.push('after');
      }
    } else {
      order = 't.created_at DESC, t.id DESC';
      if (after?.sort === 'newest') {
        values.push(after.createdAt, after.id);
        const n = values.length;
        conditions.push(`(t.created_at, t.id) < ($${n - 1}::timestamptz, $${n}::uuid)`);
        shape.push('after');
      }
    }
    values.push(limit);
    const name = `tickets.list:${shape.join(',')}`;
    return this.sql.query(
      sql<TicketListRow>(
        name,
        `SELECT ${TICKET_LIST_COLUMNS}
           FROM tickets t
           LEFT JOIN players requester ON requester.id = t.requester_player_id
           LEFT JOIN players subject ON subject.id = t.subject_player_id
          ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY ${order}
          LIMIT $${values.length}`,
      ),
      values,
    );
  }

  async insertMessage(
    message: Omit<TicketMessageEntity, 'id' | 'createdAt'>,
    manager: EntityManager,
  ): Promise<TicketMessageEntity> {
    const [stored] = await this.sql.queryIn(manager, INSERT_MESSAGE, [
      message.ticketId,
      message.authorType,
      message.authorPlayerId,
      message.authorStaffId,
      message.visibility,
      message.body,
    ]);
    if (!stored) {
      throw new Error('the message insert returned no row');
    }
    return stored;
  }

  async findMessage(ticketId: string, messageId: string): Promise<TicketMessageEntity | null> {
    const [message] = await this.sql.query(MESSAGE_BY_ID, [messageId, ticketId]);
    return message ?? null;
  }

  listMessages(ticketId: string, includeInternal: boolean): Promise<TicketMessageRow[]> {
    return this.sql.query(MESSAGES_OF_TICKET, [ticketId, includeInternal]);
  }
}

import type { TicketKind, TicketPriority, TicketStatus } from '@gmdesk/contracts';
import { whereInRealms } from '@gmdesk/db';
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
export type TicketChanges = Partial<
  Omit<TicketEntity, 'id' | 'realmId' | 'kind' | 'createdAt' | 'updatedAt'>
>;

@Injectable()
export class TicketsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(ticket: NewTicket, manager: EntityManager): Promise<TicketEntity> {
    return manager.save(TicketEntity, manager.create(TicketEntity, ticket));
  }

  /**
   * Inserts a moderation case unless an open one exists for the same offender, group and realm;
   * either way returns the open case, locked for this transaction.
   */
  async insertCaseOrLockOpen(ticket: NewTicket, manager: EntityManager): Promise<TicketEntity> {
    // The open case the insert conflicted with can be solved before the lock below is granted:
    // the locked read then no longer matches it, and a new case must be inserted after all.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(TicketEntity)
        .values(ticket)
        .orIgnore()
        .execute();
      const open = await this.lockOpenCase(ticket, manager);
      if (open) {
        return open;
      }
    }
    throw new Error('no open case to join after three attempts');
  }

  /** The open case about this player in this realm and category group, if any (not locked). */
  findOpenCase(
    key: Pick<TicketEntity, 'realmId' | 'subjectPlayerId' | 'category'>,
    manager: EntityManager,
  ): Promise<TicketEntity | null> {
    return this.openCaseQuery(key, manager).getOne();
  }

  private lockOpenCase(
    key: Pick<TicketEntity, 'realmId' | 'subjectPlayerId' | 'category'>,
    manager: EntityManager,
  ): Promise<TicketEntity | null> {
    return this.openCaseQuery(key, manager).setLock('pessimistic_write').getOne();
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

  findById(id: string, scope: RealmScope): Promise<TicketEntity | null> {
    const query = this.dataSource.manager
      .createQueryBuilder(TicketEntity, 'ticket')
      .where('ticket.id = :id', { id });
    return whereInRealms(query, 'ticket.realm_id', scope).getOne();
  }

  /**
   * The ticket, locked until the transaction ends: changes to one ticket (replies, status,
   * assignment) apply one after another, each seeing the one before.
   */
  lockById(id: string, scope: RealmScope, manager: EntityManager): Promise<TicketEntity | null> {
    const query = manager
      .createQueryBuilder(TicketEntity, 'ticket')
      .setLock('pessimistic_write')
      .where('ticket.id = :id', { id });
    return whereInRealms(query, 'ticket.realm_id', scope).getOne();
  }

  async update(id: string, changes: TicketChanges, manager: EntityManager): Promise<void> {
    await manager.update(TicketEntity, { id }, changes);
  }

  list(
    filter: TicketListFilter,
    scope: RealmScope,
    sort: TicketSort,
    after: TicketListPosition | null,
    limit: number,
  ): Promise<TicketEntity[]> {
    const query = this.dataSource.manager.createQueryBuilder(TicketEntity, 'ticket').limit(limit);
    whereInRealms(query, 'ticket.realm_id', scope);
    if (filter.statuses?.length) {
      query.andWhere('ticket.status = ANY(:statuses)', { statuses: [...filter.statuses] });
    }
    if (filter.kind) {
      query.andWhere('ticket.kind = :kind', { kind: filter.kind });
    }
    if (filter.category) {
      query.andWhere('ticket.category = :category', { category: filter.category });
    }
    if (filter.realmId) {
      query.andWhere('ticket.realm_id = :realmId', { realmId: filter.realmId });
    }
    if (filter.priority) {
      query.andWhere('ticket.priority = :priority', { priority: filter.priority });
    }
    if (filter.assignee === 'none') {
      query.andWhere('ticket.assignee_staff_id IS NULL');
    } else if (filter.assignee) {
      query.andWhere('ticket.assignee_staff_id = :assignee', { assignee: filter.assignee });
    }
    if (filter.requesterPlayerId) {
      query.andWhere('ticket.requester_player_id = :requester', {
        requester: filter.requesterPlayerId,
      });
    }
    if (filter.subjectPlayerId) {
      query.andWhere('ticket.subject_player_id = :subject', { subject: filter.subjectPlayerId });
    }
    if (sort === 'queue') {
      query
        .orderBy('ticket.priority_rank', 'ASC')
        .addOrderBy('ticket.created_at', 'ASC')
        .addOrderBy('ticket.id', 'ASC');
      if (after?.sort === 'queue') {
        query.andWhere(
          '(ticket.priority_rank, ticket.created_at, ticket.id) > (:rank, :createdAt, :id)',
          {
            rank: after.priorityRank,
            createdAt: after.createdAt,
            id: after.id,
          },
        );
      }
    } else {
      query.orderBy('ticket.created_at', 'DESC').addOrderBy('ticket.id', 'DESC');
      if (after?.sort === 'newest') {
        query.andWhere('(ticket.created_at, ticket.id) < (:createdAt, :id)', {
          createdAt: after.createdAt,
          id: after.id,
        });
      }
    }
    return query.getMany();
  }

  insertMessage(
    message: Omit<TicketMessageEntity, 'id' | 'createdAt'>,
    manager: EntityManager,
  ): Promise<TicketMessageEntity> {
    return manager.save(TicketMessageEntity, manager.create(TicketMessageEntity, message));
  }

  listMessages(ticketId: string, includeInternal: boolean): Promise<TicketMessageEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(TicketMessageEntity, 'message')
      .where('message.ticket_id = :ticketId', { ticketId })
      .orderBy('message.created_at', 'ASC')
      .addOrderBy('message.id', 'ASC');
    if (!includeInternal) {
      query.andWhere(`message.visibility = 'public'`);
    }
    return query.getMany();
  }
}

import type { CategoryGroup } from '@gmdesk/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseAssessment, PRIORITY_RANK } from './ticket-priority';
import { slaDueTimes } from './ticket-sla';
import { TicketEntity } from './ticket.entity';
import { TicketsRepository } from './tickets.repository';

export interface CaseKey {
  readonly realmId: string;
  readonly subjectPlayerId: string;
  readonly group: CategoryGroup;
  /** Shown as the case subject, e.g. "Reports against Grimbold (abuse)". */
  readonly subjectLabel: string;
}

/**
 * Moderation cases: one open ticket per offender, category group and realm, which every open
 * report against them joins. Called by report intake inside its transaction.
 */
@Injectable()
export class CasesService {
  constructor(private readonly repository: TicketsRepository) {}

  /** The open case for this key, created if there is none; locked until the transaction ends. */
  openCaseFor(key: CaseKey, manager: EntityManager): Promise<TicketEntity> {
    const now = new Date();
    return this.repository.insertCaseOrLockOpen(
      {
        realmId: key.realmId,
        kind: 'moderation',
        status: 'new',
        priority: 'low',
        priorityRank: PRIORITY_RANK.low,
        priorityOverridden: false,
        category: key.group,
        subject: key.subjectLabel,
        requesterPlayerId: null,
        subjectPlayerId: key.subjectPlayerId,
        language: null,
        assigneeStaffId: null,
        tags: [],
        flags: [],
        score: 0,
        reportCount: 0,
        reporterCount: 0,
        ...slaDueTimes('moderation', 'low', now),
        firstRespondedAt: null,
        solvedAt: null,
        closedAt: null,
      },
      manager,
    );
  }

  /** Writes a fresh assessment (a priority staff set by hand is kept); returns the updated case. */
  async applyAssessment(
    caseTicket: TicketEntity,
    assessment: CaseAssessment,
    manager: EntityManager,
  ): Promise<TicketEntity> {
    const reprioritised =
      !caseTicket.priorityOverridden && assessment.priority !== caseTicket.priority;
    const updated: TicketEntity = {
      ...caseTicket,
      score: assessment.score,
      reportCount: assessment.reportCount,
      reporterCount: assessment.reporterCount,
      flags: [...assessment.flags],
      ...(reprioritised && {
        priority: assessment.priority,
        priorityRank: PRIORITY_RANK[assessment.priority],
        resolutionDueAt: slaDueTimes('moderation', assessment.priority, caseTicket.createdAt)
          .resolutionDueAt,
      }),
    };
    await this.repository.updateAssessment(caseTicket.id, updated, manager);
    return updated;
  }
}

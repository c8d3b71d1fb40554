import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import type { ReportCategory, ReportResolution, ReportStatus } from '@gmdesk/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { decodeCursor, encodeCursor, isCursorTimestamp, isCursorUuid, Page } from '../common/page';
import {
  GameServerPrincipal,
  PlayerPrincipal,
  Principal,
  principalKey,
  StaffPrincipal,
} from '../common/principal';
import { realmScopeOf } from '../common/realm-scope';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ClientEventsService, ticketSummary } from '../notifications/client-events.service';
import { PlayerEntity } from '../players/player.entity';
import { PlayersService } from '../players/players.service';
import { SanctionsService } from '../sanctions/sanctions.service';
import { CasesService } from '../tickets/cases.service';
import { assessCase, CATEGORY_GROUP, isNewAccount } from '../tickets/ticket-priority';
import type { TicketEntity } from '../tickets/ticket.entity';
import { reporterRetryAfterSeconds, targetRetryAfterSeconds } from './report-intake';
import { ReportEntity, ReportLocation } from './report.entity';
import { nextCredibility } from './reporter-credibility';
import { ReportError, ReportErrorCode, ReportRateLimitedError } from './reports.errors';
import { PairHistory, ReportsRepository } from './reports.repository';

export interface FileReportInput {
  /** Required when a game server files for a player; ignored for players (the token says who). */
  readonly reporterAccountId?: string;
  /** Optional; when given it must be the caller's realm. */
  readonly realmId?: string;
  readonly reportedAccountId: string;
  readonly category: ReportCategory;
  readonly description: string;
  readonly occurredAt: Date;
  readonly location?: ReportLocation;
}

export type ReportOutcome = 'created' | 'merged';

/** Internal player id → player, so responses can show account ids and names. */
export type PlayerMap = ReadonlyMap<string, Pick<PlayerEntity, 'accountId' | 'displayName'>>;

export interface ReportView {
  readonly report: ReportEntity;
  readonly players: PlayerMap;
}

export interface ReportListing {
  readonly page: Page<ReportEntity>;
  readonly players: PlayerMap;
}

export interface FiledReport {
  readonly report: ReportEntity;
  readonly players: PlayerMap;
  /** `merged`: the reporter already had this report open; it was counted as a repeat instead. */
  readonly outcome: ReportOutcome;
  readonly replayed: boolean;
}

export interface ListReportsInput {
  readonly status?: ReportStatus;
  readonly category?: ReportCategory;
  readonly realmId?: string;
  readonly ticketId?: string;
  readonly reportedAccountId?: string;
  /** Staff only, with realmId: the reports this player (game account id) filed. */
  readonly reporterAccountId?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** What closing a case did to its reports. */
export interface CaseResolution {
  readonly resolution: ReportResolution;
  /** `staff`: chosen on closing; `sanctions`: upheld because the case led to a sanction, else rejected. */
  readonly decidedBy: 'staff' | 'sanctions';
  readonly reportIds: readonly string[];
}
/** Game clients' clocks drift: an incident up to this far "in the future" is accepted. */
const OCCURRED_AT_SKEW_MS = 5 * 60_000;

@Injectable()
export class ReportsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ReportsRepository,
    private readonly players: PlayersService,
    private readonly cases: CasesService,
    private readonly idempotency: IdempotencyService,
    private readonly events: ClientEventsService,
    private readonly sanctions: SanctionsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Report intake: guards (report-ban, one open report per reporter → target, cooldowns), the
   * case the report joins and the case's new score all commit in one transaction, at most once per
   * Idempotency-Key.
   */
  async file(
    filer: PlayerPrincipal | GameServerPrincipal,
    input: FileReportInput,
    idempotencyKey?: string,
  ): Promise<FiledReport> {
    const realmId = filer.realmId;
    if (input.realmId !== undefined && input.realmId !== realmId) {
      throw new ReportError(ReportErrorCode.RealmForbidden, { realmId: input.realmId });
    }
    const reporterAccountId = filer.kind === 'player' ? filer.accountId : input.reporterAccountId;
    if (!reporterAccountId) {
      // The field is named as clients send it (REST body and socket payload), not as stored.
      throw new CommonError(
        CommonErrorCode.ValidationFailed,
        'reporterPlayerId is required when a game server files.',
        [{ field: 'reporterPlayerId', problem: 'is required when a game server files a report' }],
      );
    }
    if (input.occurredAt.getTime() > Date.now() + OCCURRED_AT_SKEW_MS) {
      throw new CommonError(CommonErrorCode.ValidationFailed, 'occurredAt is in the future.', [
        { field: 'occurredAt', problem: 'must not be in the future' },
      ]);
    }
    if (reporterAccountId === input.reportedAccountId) {
      throw new ReportError(ReportErrorCode.SelfReport);
    }

    // What intake filed, kept so that a first (not replayed) answer needs no second read.
    let filed: { report: ReportEntity; players: PlayerMap } | undefined;
    const result = await this.idempotency.run(
      {
        scope: `${principalKey(filer)}:reports`,
        key: idempotencyKey,
        request: { ...input, reporterAccountId, realmId },
      },
      async (manager) => {
        const { report, outcome, players } = await this.intake(
          filer,
          realmId,
          reporterAccountId,
          input,
          manager,
        );
        filed = { report, players };
        return {
          status: outcome === 'created' ? 201 : 200,
          body: { reportId: report.id, outcome },
        };
      },
    );
    if (filed && !result.replayed) {
      return { ...filed, outcome: result.body.outcome, replayed: false };
    }
    const report = await this.repository.findById(result.body.reportId, realmScopeOf(filer));
    if (!report) {
      throw new ReportError(ReportErrorCode.ReportNotFound);
    }
    return {
      report,
      players: await this.playersOf([report]),
      outcome: result.body.outcome,
      replayed: result.replayed,
    };
  }

  async getVisible(viewer: Principal, reportId: string): Promise<ReportView> {
    const report = await this.repository.findById(reportId, realmScopeOf(viewer));
    if (!report || !(await this.mayView(viewer, report))) {
      throw new ReportError(ReportErrorCode.ReportNotFound, { reportId });
    }
    return { report, players: await this.playersOf([report]) };
  }

  async list(
    viewer: PlayerPrincipal | StaffPrincipal,
    input: ListReportsInput,
  ): Promise<ReportListing> {
    const page = await this.listPage(viewer, input);
    return { page, players: await this.playersOf(page.items) };
  }

  private async playersOf(reports: readonly ReportEntity[]): Promise<PlayerMap> {
    const ids = [
      ...new Set(reports.flatMap((report) => [report.reporterPlayerId, report.reportedPlayerId])),
    ];
    return new Map((await this.players.findByIds(ids)).map((player) => [player.id, player]));
  }

  private async listPage(
    viewer: PlayerPrincipal | StaffPrincipal,
    input: ListReportsInput,
  ): Promise<Page<ReportEntity>> {
    const limit = input.limit ?? 25;
    let after: { createdAt: string; id: string } | null = null;
    if (input.cursor !== undefined) {
      const values = decodeCursor(input.cursor);
      if (
        !values ||
        values.length !== 2 ||
        !isCursorTimestamp(values[0]) ||
        !isCursorUuid(values[1])
      ) {
        throw new CommonError(CommonErrorCode.ValidationFailed, 'The cursor is not valid.', [
          { field: 'cursor', problem: 'is not a cursor this listing issued' },
        ]);
      }
      after = { createdAt: values[0], id: values[1] };
    }
    let reporterPlayerId: string | undefined;
    let reportedPlayerId: string | undefined;
    if (viewer.kind === 'player') {
      const me = await this.players.findByAccount(viewer.realmId, viewer.accountId);
      if (!me) {
        return { items: [], nextCursor: null };
      }
      reporterPlayerId = me.id;
    } else if (input.reportedAccountId !== undefined) {
      // Account ids are unique per realm only; without one the filter would be silently dropped.
      if (input.realmId === undefined) {
        throw new CommonError(
          CommonErrorCode.ValidationFailed,
          'Filtering by reportedPlayerId needs a realmId.',
          [{ field: 'realmId', problem: 'is required with reportedPlayerId' }],
        );
      }
      const reported = await this.players.findByAccount(input.realmId, input.reportedAccountId);
      if (!reported) {
        return { items: [], nextCursor: null };
      }
      reportedPlayerId = reported.id;
    }
    if (viewer.kind === 'staff' && input.reporterAccountId !== undefined) {
      if (input.realmId === undefined) {
        throw new CommonError(
          CommonErrorCode.ValidationFailed,
          'Filtering by reporterAccountId needs a realmId.',
          [{ field: 'realmId', problem: 'is required with reporterAccountId' }],
        );
      }
      const reporter = await this.players.findByAccount(input.realmId, input.reporterAccountId);
      if (!reporter) {
        return { items: [], nextCursor: null };
      }
      reporterPlayerId = reporter.id;
    }
    const rows = await this.repository.list(
      {
        status: input.status,
        category: input.category,
        realmId: input.realmId,
        ticketId: viewer.kind === 'staff' ? input.ticketId : undefined,
        reporterPlayerId,
        reportedPlayerId,
      },
      realmScopeOf(viewer),
      after,
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /** The reports attached to a case, for the staff case view. */
  async listForCase(viewer: StaffPrincipal, ticketId: string): Promise<ReportEntity[]> {
    return this.repository.list({ ticketId }, realmScopeOf(viewer), null, 500);
  }

  private async intake(
    filer: PlayerPrincipal | GameServerPrincipal,
    realmId: string,
    reporterAccountId: string,
    input: FileReportInput,
    manager: EntityManager,
  ): Promise<{ report: ReportEntity; outcome: ReportOutcome; players: PlayerMap }> {
    const reporterProfile =
      filer.kind === 'player' && filer.displayName ? { displayName: filer.displayName } : {};
    // Ensure both players in a fixed order so two concurrent first-time filings cannot deadlock.
    const accounts = [reporterAccountId, input.reportedAccountId].sort();
    const ensured = new Map<string, PlayerEntity>();
    for (const accountId of accounts) {
      ensured.set(
        accountId,
        await this.players.ensure(
          realmId,
          accountId,
          accountId === reporterAccountId ? reporterProfile : {},
          manager,
        ),
      );
    }
    // The lock serialises this reporter's filings, so the cooldown count below is exact.
    const reporter = await this.players.lockForReporting(
      ensured.get(reporterAccountId)!.id,
      manager,
    );
    const reported = ensured.get(input.reportedAccountId)!;
    const now = new Date();
    if (reporter.reportBannedUntil && reporter.reportBannedUntil > now) {
      throw new ReportError(ReportErrorCode.ReportBanned, {
        until: reporter.reportBannedUntil.toISOString(),
      });
    }

    const group = CATEGORY_GROUP[input.category];
    const history = await this.repository.pairHistory(
      reporter.id,
      reported.id,
      group,
      new Date(now.getTime() - this.config.reports.reporterWindowSeconds * 1000),
      manager,
    );
    const players: PlayerMap = new Map([
      [reporter.id, reporter],
      [reported.id, reported],
    ]);
    if (history.open) {
      const repeated = await this.repository.markRepeated(history.open.id, now, manager);
      return { report: repeated, outcome: 'merged', players };
    }
    this.enforceCooldowns(history, now);

    const caseTicket = await this.cases.openCaseFor(
      {
        realmId,
        subjectPlayerId: reported.id,
        group,
        subjectLabel: `Reports against ${reported.displayName ?? reported.accountId} (${group.replace('_', ' ')})`,
      },
      manager,
    );
    const report = await this.repository.insertUnlessOpen(
      {
        realmId,
        reporterPlayerId: reporter.id,
        reportedPlayerId: reported.id,
        category: input.category,
        categoryGroup: group,
        description: input.description,
        occurredAt: input.occurredAt,
        location: input.location ?? null,
        ticketId: caseTicket.id,
        source: filer.kind === 'player' ? 'player' : 'game_server',
        filedByServerId: filer.kind === 'game_server' ? filer.serverId : null,
        reporterWeight: reporter.reportCredibility,
      },
      manager,
    );
    if (!report) {
      throw new Error('open report appeared for a locked reporter');
    }
    const signals = (await this.repository.caseReports(caseTicket.id, manager)).map((row) => ({
      category: row.category,
      reporterId: row.reporterPlayerId,
      weight: row.reporterWeight,
      reporterIsNew: isNewAccount(row.reporterAccountCreatedAt, row.reporterFirstSeenAt, now),
    }));
    const assessed = await this.cases.applyAssessment(caseTicket, assessCase(signals), manager);
    // A case with no reports before this one was created by this filing.
    const opened = caseTicket.reportCount === 0;
    await this.events.toStaff(
      manager,
      opened ? 'ticket.created' : 'ticket.updated',
      ticketSummary(assessed, opened ? 'opened' : 'report_added'),
    );
    await this.events.toStaff(manager, 'report.filed', {
      reportId: report.id,
      ticketId: caseTicket.id,
      realmId,
      category: report.category,
      reported: { accountId: reported.accountId, displayName: reported.displayName },
      reporter: { accountId: reporter.accountId, displayName: reporter.displayName },
    });
    return { report, outcome: 'created', players };
  }

  /**
   * Resolves the open reports of a moderation case that is being solved or closed, in the
   * transaction that changes its status (TicketsService.changeStatus runs this with the case row
   * locked, so no report can join meanwhile). The outcome is the one staff chose, else `upheld`
   * when the case led to a sanction on its subject (SanctionsService.actionTakenOnCase) and
   * `rejected` otherwise. Each reporter's credibility moves by nextCredibility.
   *
   * Lock order: the case row (held by the caller), then the reporters' player rows in id order,
   * then the report rows. Report intake locks the reporter's row and then a report or the case;
   * the only intake that waits for this case is a reporter with no open report on it (a first
   * report), whom this does not lock; a reporter who has one merges into it without the case
   * lock. Locking the reporters before touching their reports keeps a merging intake (reporter
   * row, then report row) from waiting on a report row this holds while this waits on its player.
   */
  async resolveCase(
    actor: StaffPrincipal,
    caseTicket: TicketEntity,
    chosen: ReportResolution | undefined,
    manager: EntityManager,
  ): Promise<CaseResolution | null> {
    const open = await this.repository.openForCase(caseTicket.id, manager);
    if (open.length === 0) {
      return null;
    }
    const reporterIds = [...new Set(open.map((report) => report.reporterPlayerId))].sort();
    const reporters = await this.players.lockReporters(reporterIds, manager);
    const actionTaken =
      chosen === undefined && caseTicket.subjectPlayerId !== null
        ? await this.sanctions.actionTakenOnCase(caseTicket.id, caseTicket.subjectPlayerId, manager)
        : false;
    const resolution: ReportResolution = chosen ?? (actionTaken ? 'upheld' : 'rejected');
    const reportIds = await this.repository.resolve(
      open.map((report) => report.id),
      resolution,
      new Date(),
      manager,
    );
    // One open report per reporter and category group, and a case is one group: one step each.
    const credibility = reporters.map((reporter) => ({
      playerId: reporter.id,
      before: reporter.reportCredibility,
      after: nextCredibility(reporter.reportCredibility, resolution),
    }));
    await this.players.setCredibility(
      credibility.map((change) => ({ playerId: change.playerId, credibility: change.after })),
      manager,
    );
    const decidedBy = chosen === undefined ? 'sanctions' : 'staff';
    await this.audit.record(
      actor,
      {
        action: 'report.resolve',
        targetType: 'ticket',
        targetId: caseTicket.id,
        realmId: caseTicket.realmId,
        after: { resolution, decidedBy, reportIds, credibility },
      },
      manager,
    );
    return { resolution, decidedBy, reportIds };
  }

  /** The reporter limit and the per-target cooldown, from what pairHistory read. */
  private enforceCooldowns(history: PairHistory, now: Date): void {
    const { reporterLimit, reporterWindowSeconds, targetCooldownSeconds } = this.config.reports;
    const reporterWait = reporterRetryAfterSeconds(
      history.recentFilings,
      now,
      reporterLimit,
      reporterWindowSeconds,
    );
    if (reporterWait > 0) {
      throw ReportRateLimitedError.reporter(reporterWait);
    }
    const targetWait = targetRetryAfterSeconds(history.lastResolvedAt, now, targetCooldownSeconds);
    if (targetWait > 0) {
      throw ReportRateLimitedError.target(targetWait);
    }
  }

  private async mayView(viewer: Principal, report: ReportEntity): Promise<boolean> {
    switch (viewer.kind) {
      case 'staff':
        return true;
      case 'game_server':
        return report.realmId === viewer.realmId && report.filedByServerId === viewer.serverId;
      case 'player': {
        const me = await this.players.findByAccount(viewer.realmId, viewer.accountId);
        return me !== null && report.reporterPlayerId === me.id;
      }
    }
  }
}

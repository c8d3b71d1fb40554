import type {
  CategoryGroup,
  ReportCategory,
  ReportResolution,
  ReportStatus,
} from '@gmdesk/contracts';
import { selectList, sql, SqlRunner, whereInRealms } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RealmScope } from '../common/realm-scope';
import { ReportEntity } from './report.entity';

export type NewReport = Omit<
  ReportEntity,
  'id' | 'createdAt' | 'resolvedAt' | 'repeatCount' | 'lastRepeatedAt' | 'status'
>;

export interface ReportListFilter {
  readonly reporterPlayerId?: string;
  readonly reportedPlayerId?: string;
  readonly ticketId?: string;
  readonly status?: ReportStatus;
  readonly category?: ReportCategory;
  readonly realmId?: string;
}

export interface CaseReportRow {
  readonly category: ReportCategory;
  readonly reporterPlayerId: string;
  readonly reporterWeight: number;
  /** When the game created the reporter's account, if a game server said so. */
  readonly reporterAccountCreatedAt: Date | null;
  readonly reporterFirstSeenAt: Date;
}

/** An open report of a case being closed: what resolving it needs. */
export interface OpenCaseReport {
  readonly id: string;
  readonly reporterPlayerId: string;
}

/** What intake needs to know about a reporter's reports on one target, read under their lock. */
export interface PairHistory {
  /** The reporter's open report on this target in this group, which a repeat merges into. */
  readonly open: ReportEntity | null;
  /** When the reporter filed their new reports since the window start, oldest first. */
  readonly recentFilings: Date[];
  /** When the reporter's last report on this target in this group was resolved. */
  readonly lastResolvedAt: Date | null;
}

const REPORT_PROPERTIES = {
  id: 'id',
  realmId: 'realm_id',
  reporterPlayerId: 'reporter_player_id',
  reportedPlayerId: 'reported_player_id',
  category: 'category',
  categoryGroup: 'category_group',
  description: 'description',
  occurredAt: 'occurred_at',
  location: 'location',
  status: 'status',
  ticketId: 'ticket_id',
  source: 'source',
  filedByServerId: 'filed_by_server_id',
  reporterWeight: 'reporter_weight',
  repeatCount: 'repeat_count',
  lastRepeatedAt: 'last_repeated_at',
  createdAt: 'created_at',
  resolvedAt: 'resolved_at',
} as const;
const REPORT_COLUMNS = selectList(REPORT_PROPERTIES);

const INSERT_UNLESS_OPEN = sql<ReportEntity>(
  'reports.insert-unless-open',
  `INSERT INTO reports (realm_id, reporter_player_id, reported_player_id, category, category_group,
                        description, occurred_at, location, status, ticket_id, source,
                        filed_by_server_id, reporter_weight)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11, $12)
   ON CONFLICT DO NOTHING
   RETURNING ${REPORT_COLUMNS}`,
);

/** $1 reporter, $2 reported, $3 category group, $4 start of the reporter-limit window. */
const PAIR_HISTORY = sql<
  Partial<ReportEntity> & { recentFilings: Date[]; lastResolvedAt: Date | null }
>(
  'reports.pair-history',
  `SELECT open_report.*,
          ARRAY(SELECT created_at FROM reports
                 WHERE reporter_player_id = $1 AND created_at > $4
                 ORDER BY created_at) AS "recentFilings",
          (SELECT max(resolved_at) FROM reports
            WHERE reporter_player_id = $1 AND reported_player_id = $2
              AND category_group = $3 AND resolved_at IS NOT NULL) AS "lastResolvedAt"
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (
       SELECT ${REPORT_COLUMNS} FROM reports
        WHERE reporter_player_id = $1 AND reported_player_id = $2
          AND category_group = $3 AND status = 'open'
     ) AS open_report ON true`,
);

const MARK_REPEATED = sql<ReportEntity>(
  'reports.mark-repeated',
  `UPDATE reports SET repeat_count = repeat_count + 1, last_repeated_at = $2 WHERE id = $1
   RETURNING ${REPORT_COLUMNS}`,
);

const CASE_REPORTS = sql<CaseReportRow>(
  'reports.of-case',
  `SELECT r.category, r.reporter_player_id AS "reporterPlayerId", r.reporter_weight AS "reporterWeight",
          p.account_created_at AS "reporterAccountCreatedAt", p.created_at AS "reporterFirstSeenAt"
     FROM reports r JOIN players p ON p.id = r.reporter_player_id
    WHERE r.ticket_id = $1 AND r.status = 'open'`,
);

@Injectable()
export class ReportsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: SqlRunner,
  ) {}

  /** Inserts unless the reporter already has an open report on this target in this group (null then). */
  async insertUnlessOpen(report: NewReport, manager: EntityManager): Promise<ReportEntity | null> {
    const [inserted] = await this.sql.queryIn(manager, INSERT_UNLESS_OPEN, [
      report.realmId,
      report.reporterPlayerId,
      report.reportedPlayerId,
      report.category,
      report.categoryGroup,
      report.description,
      report.occurredAt,
      report.location === null ? null : JSON.stringify(report.location),
      report.ticketId,
      report.source,
      report.filedByServerId,
      report.reporterWeight,
    ]);
    return inserted ?? null;
  }

  /**
   * The reporter's open report on this target (if any), their filings since `windowStart` and
   * their last resolved report on this target, in one statement. Call it holding the reporter's
   * row lock (PlayersService.lockForReporting) and after taking it: nothing of this can change
   * meanwhile, and the statement's snapshot includes whatever the lock waited for.
   */
  async pairHistory(
    reporterPlayerId: string,
    reportedPlayerId: string,
    group: CategoryGroup,
    windowStart: Date,
    manager: EntityManager,
  ): Promise<PairHistory> {
    const [row] = await this.sql.queryIn(manager, PAIR_HISTORY, [
      reporterPlayerId,
      reportedPlayerId,
      group,
      windowStart,
    ]);
    if (!row) {
      throw new Error('the pair history query returned no row');
    }
    const { recentFilings, lastResolvedAt, ...open } = row;
    return {
      open: open.id ? (open as ReportEntity) : null,
      recentFilings,
      lastResolvedAt,
    };
  }

  /** Counts a repeat of an open report; returns the report as it is now. */
  async markRepeated(id: string, at: Date, manager: EntityManager): Promise<ReportEntity> {
    const [report] = await this.sql.queryIn(manager, MARK_REPEATED, [id, at]);
    if (!report) {
      throw new Error(`report ${id} vanished while marked repeated`);
    }
    return report;
  }

  /** What case scoring needs about every open report of a case. */
  caseReports(ticketId: string, manager: EntityManager): Promise<CaseReportRow[]> {
    return this.sql.queryIn(manager, CASE_REPORTS, [ticketId]);
  }

  /**
   * The open reports of a case. Read under the case's row lock: a report joins a case only while
   * holding that lock (report intake), so the set cannot grow before the caller commits.
   */
  async openForCase(ticketId: string, manager: EntityManager): Promise<OpenCaseReport[]> {
    const rows: { id: string; reporter: string }[] = await manager.query(
      `SELECT id, reporter_player_id AS reporter FROM reports
        WHERE ticket_id = $1 AND status = 'open' ORDER BY reporter_player_id`,
      [ticketId],
    );
    return rows.map((row) => ({ id: row.id, reporterPlayerId: row.reporter }));
  }

  /** Resolves the given reports (those still open) with one outcome; returns the ids resolved. */
  async resolve(
    ids: readonly string[],
    resolution: ReportResolution,
    at: Date,
    manager: EntityManager,
  ): Promise<string[]> {
    if (ids.length === 0) {
      return [];
    }
    const [rows]: [{ id: string }[], number] = await manager.query(
      `UPDATE reports SET status = $2, resolved_at = $3
        WHERE id = ANY($1) AND status = 'open' RETURNING id`,
      [[...ids], resolution, at],
    );
    return rows.map((row) => row.id);
  }

  findById(id: string, scope: RealmScope): Promise<ReportEntity | null> {
    const query = this.dataSource.manager
      .createQueryBuilder(ReportEntity, 'report')
      .where('report.id = :id', { id });
    return whereInRealms(query, 'report.realm_id', scope).getOne();
  }

  list(
    filter: ReportListFilter,
    scope: RealmScope,
    after: { createdAt: string; id: string } | null,
    limit: number,
  ): Promise<ReportEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(ReportEntity, 'report')
      .orderBy('report.created_at', 'DESC')
      .addOrderBy('report.id', 'DESC')
      .limit(limit);
    whereInRealms(query, 'report.realm_id', scope);
    if (filter.reporterPlayerId) {
      query.andWhere('report.reporter_player_id = :reporter', {
        reporter: filter.reporterPlayerId,
      });
    }
    if (filter.reportedPlayerId) {
      query.andWhere('report.reported_player_id = :reported', {
        reported: filter.reportedPlayerId,
      });
    }
    if (filter.ticketId) {
      query.andWhere('report.ticket_id = :ticketId', { ticketId: filter.ticketId });
    }
    if (filter.status) {
      query.andWhere('report.status = :status', { status: filter.status });
    }
    if (filter.category) {
      query.andWhere('report.category = :category', { category: filter.category });
    }
    if (filter.realmId) {
      query.andWhere('report.realm_id = :realmId', { realmId: filter.realmId });
    }
    if (after) {
      query.andWhere('(report.created_at, report.id) < (:createdAt, :id)', after);
    }
    return query.getMany();
  }
}

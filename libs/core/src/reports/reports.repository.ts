import type {
  CategoryGroup,
  ReportCategory,
  ReportResolution,
  ReportStatus,
} from '@gmdesk/contracts';
import { whereInRealms } from '@gmdesk/db';
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

@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts unless the reporter already has an open report on this target in this group (null then). */
  async insertUnlessOpen(report: NewReport, manager: EntityManager): Promise<ReportEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ReportEntity)
      .values({ ...report, status: 'open', repeatCount: 0 })
      .orIgnore()
      .returning(['id'])
      .execute();
    const inserted = (result.raw as { id: string }[])[0];
    return inserted ? manager.findOneByOrFail(ReportEntity, { id: inserted.id }) : null;
  }

  findOpenForPair(
    reporterPlayerId: string,
    reportedPlayerId: string,
    group: CategoryGroup,
    manager: EntityManager,
  ): Promise<ReportEntity | null> {
    return manager
      .createQueryBuilder(ReportEntity, 'report')
      .setLock('pessimistic_write')
      .where('report.reporter_player_id = :reporterPlayerId', { reporterPlayerId })
      .andWhere('report.reported_player_id = :reportedPlayerId', { reportedPlayerId })
      .andWhere('report.category_group = :group', { group })
      .andWhere(`report.status = 'open'`)
      .getOne();
  }

  async markRepeated(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(ReportEntity)
      .set({ repeatCount: () => 'repeat_count + 1', lastRepeatedAt: at })
      .where('id = :id', { id })
      .execute();
  }

  /** New reports by this reporter since `since`, oldest first (for the reporter cooldown). */
  async recentFilingTimes(
    reporterPlayerId: string,
    since: Date,
    manager: EntityManager,
  ): Promise<Date[]> {
    const rows = await manager
      .createQueryBuilder(ReportEntity, 'report')
      .select('report.created_at', 'createdAt')
      .where('report.reporter_player_id = :reporterPlayerId', { reporterPlayerId })
      .andWhere('report.created_at > :since', { since })
      .orderBy('report.created_at', 'ASC')
      .getRawMany<{ createdAt: Date }>();
    return rows.map((row) => new Date(row.createdAt));
  }

  /** When the reporter's last closed report on this target in this group was resolved. */
  async lastResolvedForPair(
    reporterPlayerId: string,
    reportedPlayerId: string,
    group: CategoryGroup,
    manager: EntityManager,
  ): Promise<Date | null> {
    const row = await manager
      .createQueryBuilder(ReportEntity, 'report')
      .select('max(report.resolved_at)', 'resolvedAt')
      .where('report.reporter_player_id = :reporterPlayerId', { reporterPlayerId })
      .andWhere('report.reported_player_id = :reportedPlayerId', { reportedPlayerId })
      .andWhere('report.category_group = :group', { group })
      .andWhere('report.resolved_at IS NOT NULL')
      .getRawOne<{ resolvedAt: Date | null }>();
    return row?.resolvedAt ? new Date(row.resolvedAt) : null;
  }

  /** What case scoring needs about every open report of a case. */
  async caseReports(ticketId: string, manager: EntityManager): Promise<CaseReportRow[]> {
    const rows: {
      category: ReportCategory;
      reporter: string;
      weight: number;
      account_created: Date | null;
      first_seen: Date;
    }[] = await manager.query(
      `SELECT r.category, r.reporter_player_id AS reporter, r.reporter_weight AS weight,
              p.account_created_at AS account_created, p.created_at AS first_seen
         FROM reports r JOIN players p ON p.id = r.reporter_player_id
        WHERE r.ticket_id = $1 AND r.status = 'open'`,
      [ticketId],
    );
    return rows.map((row) => ({
      category: row.category,
      reporterPlayerId: row.reporter,
      reporterWeight: Number(row.weight),
      reporterAccountCreatedAt: row.account_created ? new Date(row.account_created) : null,
      reporterFirstSeenAt: new Date(row.first_seen),
    }));
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

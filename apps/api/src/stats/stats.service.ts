import {
  TICKET_KINDS,
  TICKET_PRIORITIES,
  type TicketKind,
  type TicketPriority,
} from '@gmdesk/contracts';
import type { StaffPrincipal } from '@gmdesk/core';
import { Injectable } from '@nestjs/common';
import {
  StatsRepository,
  type BacklogRow,
  type IntakeRow,
  type OldestWaitingRow,
  type ResponseTimeRow,
  type StatsBucket,
  type StatsScope,
} from './stats.repository';

export interface StatsFilter {
  /** Only this realm (within the caller's own realms). */
  readonly realmId?: string;
}

export interface BacklogCell {
  readonly kind: TicketKind;
  readonly priority: TicketPriority;
  readonly open: number;
  readonly unassigned: number;
  readonly breaching: number;
  readonly awaitingFirstResponse: number;
}

export interface OldestWaiting extends OldestWaitingRow {
  readonly waitingSeconds: number;
}

export interface Backlog {
  readonly generatedAt: Date;
  readonly totals: Omit<BacklogCell, 'kind' | 'priority'>;
  /** Every kind and priority, zeros included, kinds then priorities in their usual order. */
  readonly cells: readonly BacklogCell[];
  /** The longest-waiting new or open item of each kind that has one. */
  readonly oldestWaiting: readonly OldestWaiting[];
}

export interface Intake {
  readonly hours: number;
  readonly buckets: readonly IntakeRow[];
  readonly totals: Omit<IntakeRow, 'hour'>;
}

export interface ResponseTimes {
  readonly bucket: StatsBucket;
  readonly buckets: readonly (ResponseTimeRow & { readonly start: Date })[];
  readonly overall: Omit<ResponseTimeRow, 'start'>;
}

const DEFAULT_PERIODS: Record<StatsBucket, number> = { hour: 24, day: 14 };

/**
 * What the dashboard shows: the open backlog, intake per hour and first-response times. Every
 * figure counts only the realms the staff member works in (all realms when unrestricted).
 */
@Injectable()
export class StatsService {
  constructor(private readonly repository: StatsRepository) {}

  async backlog(viewer: StaffPrincipal, filter: StatsFilter): Promise<Backlog> {
    const scope = scopeOf(viewer, filter);
    const [rows, oldest] = await Promise.all([
      this.repository.backlog(scope),
      this.repository.oldestWaiting(scope),
    ]);
    const generatedAt = new Date();
    const cells = TICKET_KINDS.flatMap((kind) =>
      TICKET_PRIORITIES.map((priority): BacklogCell => {
        const row: BacklogRow | undefined = rows.find(
          (r) => r.kind === kind && r.priority === priority,
        );
        return {
          kind,
          priority,
          open: row?.open ?? 0,
          unassigned: row?.unassigned ?? 0,
          breaching: row?.breaching ?? 0,
          awaitingFirstResponse: row?.awaitingFirstResponse ?? 0,
        };
      }),
    );
    const sum = (field: keyof Backlog['totals']): number =>
      cells.reduce((total, cell) => total + cell[field], 0);
    return {
      generatedAt,
      totals: {
        open: sum('open'),
        unassigned: sum('unassigned'),
        breaching: sum('breaching'),
        awaitingFirstResponse: sum('awaitingFirstResponse'),
      },
      cells,
      oldestWaiting: oldest.map((item) => ({
        ...item,
        waitingSeconds: Math.max(
          0,
          Math.round((generatedAt.getTime() - item.createdAt.getTime()) / 1000),
        ),
      })),
    };
  }

  async intake(viewer: StaffPrincipal, filter: StatsFilter & { hours?: number }): Promise<Intake> {
    const hours = filter.hours ?? 24;
    const buckets = await this.repository.intake(scopeOf(viewer, filter), hours);
    const sum = (field: keyof Intake['totals']): number =>
      buckets.reduce((total, bucket) => total + bucket[field], 0);
    return {
      hours,
      buckets,
      totals: {
        reports: sum('reports'),
        supportTickets: sum('supportTickets'),
        cases: sum('cases'),
      },
    };
  }

  async responseTimes(
    viewer: StaffPrincipal,
    filter: StatsFilter & { bucket?: StatsBucket; periods?: number },
  ): Promise<ResponseTimes> {
    const bucket = filter.bucket ?? 'day';
    const periods = filter.periods ?? DEFAULT_PERIODS[bucket];
    const rows = await this.repository.responseTimes(scopeOf(viewer, filter), bucket, periods);
    const buckets = rows.filter(
      (row): row is ResponseTimeRow & { start: Date } => row.start !== null,
    );
    const overall = rows.find((row) => row.start === null);
    return {
      bucket,
      buckets,
      overall: {
        tickets: overall?.tickets ?? 0,
        answered: overall?.answered ?? 0,
        p50Seconds: overall?.p50Seconds ?? null,
        p90Seconds: overall?.p90Seconds ?? null,
      },
    };
  }
}

/** The caller's realms (none means every realm), narrowed by the request's realm filter. */
function scopeOf(viewer: StaffPrincipal, filter: StatsFilter): StatsScope {
  return {
    realmIds: viewer.realms.length === 0 ? null : viewer.realms,
    realmId: filter.realmId ?? null,
  };
}

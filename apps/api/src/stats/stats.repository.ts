import { sql, SqlRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';

/** Which realms a statistic may count: `null` for every realm (an unrestricted staff member). */
export interface StatsScope {
  readonly realmIds: readonly string[] | null;
  /** The `realmId` filter of the request, within the scope. */
  readonly realmId: string | null;
}

export interface BacklogRow {
  readonly kind: 'support' | 'moderation';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly open: number;
  readonly unassigned: number;
  readonly breaching: number;
  readonly awaitingFirstResponse: number;
}

export interface OldestWaitingRow {
  readonly kind: 'support' | 'moderation';
  readonly id: string;
  readonly realmId: string;
  readonly status: string;
  readonly priority: string;
  readonly subject: string;
  readonly createdAt: Date;
}

export interface IntakeRow {
  readonly hour: Date;
  readonly reports: number;
  readonly supportTickets: number;
  readonly cases: number;
}

export interface ResponseTimeRow {
  /** null for the whole range (the overall row). */
  readonly start: Date | null;
  readonly tickets: number;
  readonly answered: number;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

export type StatsBucket = 'hour' | 'day';

// Every statement takes the scope as $1 (text[] or null) and the realm filter as $2 (or null).
const IN_SCOPE = (alias: string): string =>
  `($1::text[] IS NULL OR ${alias}.realm_id = ANY($1::text[])) AND ($2::text IS NULL OR ${alias}.realm_id = $2::text)`;

// An item breaches when its next SLA clock has run out: the first response while unanswered (support
// tickets have one, cases do not), then the resolution (as the console's SLA badge reads them).
const BACKLOG = sql<BacklogRow>(
  'stats.backlog',
  `SELECT t.kind, t.priority,
          count(*)::int AS "open",
          (count(*) FILTER (WHERE t.assignee_staff_id IS NULL))::int AS "unassigned",
          (count(*) FILTER (WHERE CASE WHEN t.first_responded_at IS NULL
                                            AND t.first_response_due_at IS NOT NULL
                                       THEN t.first_response_due_at
                                       ELSE t.resolution_due_at END < now()))::int AS "breaching",
          (count(*) FILTER (WHERE t.first_response_due_at IS NOT NULL
                              AND t.first_responded_at IS NULL))::int AS "awaitingFirstResponse"
     FROM tickets t
    WHERE t.status IN ('new', 'open', 'pending') AND ${IN_SCOPE('t')}
    GROUP BY t.kind, t.priority`,
);

// Waiting for staff: new or open (pending waits for the player).
const OLDEST_WAITING = sql<OldestWaitingRow>(
  'stats.oldest-waiting',
  `SELECT DISTINCT ON (t.kind)
          t.kind, t.id, t.realm_id AS "realmId", t.status, t.priority, t.subject,
          t.created_at AS "createdAt"
     FROM tickets t
    WHERE t.status IN ('new', 'open') AND ${IN_SCOPE('t')}
    ORDER BY t.kind, t.created_at, t.id`,
);

// Whole UTC hours, the current one last; hours without intake are zeros.
const INTAKE = sql<IntakeRow>(
  'stats.intake',
  `WITH range AS (
     SELECT date_trunc('hour', now(), 'UTC') - ($3::int - 1) * interval '1 hour' AS first_hour,
            date_trunc('hour', now(), 'UTC') AS last_hour
   ), filed AS (
     SELECT date_trunc('hour', r.created_at, 'UTC') AS hour, count(*)::int AS n
       FROM reports r, range
      WHERE r.created_at >= range.first_hour AND ${IN_SCOPE('r')}
      GROUP BY 1
   ), opened AS (
     SELECT date_trunc('hour', t.created_at, 'UTC') AS hour,
            (count(*) FILTER (WHERE t.kind = 'support'))::int AS support,
            (count(*) FILTER (WHERE t.kind = 'moderation'))::int AS cases
       FROM tickets t, range
      WHERE t.created_at >= range.first_hour AND ${IN_SCOPE('t')}
      GROUP BY 1
   )
   SELECT g.hour, coalesce(filed.n, 0) AS "reports",
          coalesce(opened.support, 0) AS "supportTickets", coalesce(opened.cases, 0) AS "cases"
     FROM range, generate_series(range.first_hour, range.last_hour, interval '1 hour') AS g(hour)
     LEFT JOIN filed ON filed.hour = g.hour
     LEFT JOIN opened ON opened.hour = g.hour
    ORDER BY g.hour`,
);

// Support tickets by the UTC hour or day they were opened: how long until the first public
// staff reply (tickets.first_responded_at). Unanswered tickets count in "tickets" but not in the
// percentiles. The overall row (start null) covers the whole range.
const RESPONSE_TIMES = sql<ResponseTimeRow>(
  'stats.response-times',
  `WITH range AS (
     SELECT date_trunc($3::text, now(), 'UTC') - ($4::int - 1) * $5::interval AS first_start,
            date_trunc($3::text, now(), 'UTC') AS last_start
   ), support AS (
     SELECT date_trunc($3::text, t.created_at, 'UTC') AS start,
            extract(epoch FROM t.first_responded_at - t.created_at)::float8 AS seconds
       FROM tickets t, range
      WHERE t.kind = 'support' AND t.created_at >= range.first_start AND ${IN_SCOPE('t')}
   ), per_bucket AS (
     SELECT start, count(*)::int AS tickets, count(seconds)::int AS answered,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
       FROM support GROUP BY start
   )
   SELECT g.start, coalesce(b.tickets, 0) AS "tickets", coalesce(b.answered, 0) AS "answered",
          b.p50 AS "p50Seconds", b.p90 AS "p90Seconds"
     FROM range, generate_series(range.first_start, range.last_start, $5::interval) AS g(start)
     LEFT JOIN per_bucket b ON b.start = g.start
   UNION ALL
   SELECT NULL, count(*)::int, count(seconds)::int,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),
          percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds)
     FROM support
   ORDER BY 1 NULLS LAST`,
);

const scopeValues = (scope: StatsScope): unknown[] => [
  scope.realmIds === null ? null : [...scope.realmIds],
  scope.realmId,
];

/** Aggregates over tickets and reports for the dashboard: plain SQL, read-only, realm-scoped. */
@Injectable()
export class StatsRepository {
  constructor(private readonly sql: SqlRunner) {}

  backlog(scope: StatsScope): Promise<BacklogRow[]> {
    return this.sql.query(BACKLOG, scopeValues(scope));
  }

  oldestWaiting(scope: StatsScope): Promise<OldestWaitingRow[]> {
    return this.sql.query(OLDEST_WAITING, scopeValues(scope));
  }

  intake(scope: StatsScope, hours: number): Promise<IntakeRow[]> {
    return this.sql.query(INTAKE, [...scopeValues(scope), hours]);
  }

  responseTimes(
    scope: StatsScope,
    bucket: StatsBucket,
    periods: number,
  ): Promise<ResponseTimeRow[]> {
    return this.sql.query(RESPONSE_TIMES, [
      ...scopeValues(scope),
      bucket,
      periods,
      bucket === 'hour' ? '1 hour' : '1 day',
    ]);
  }
}

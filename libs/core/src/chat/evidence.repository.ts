import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

/** A report whose evidence is due: its window has closed and the chat of it has had time to arrive. */
export interface DueReport {
  readonly reportId: string;
  readonly realmId: string;
  readonly occurredAt: Date;
  readonly location: unknown;
  readonly reporterAccountId: string;
  readonly reportedAccountId: string;
}

/** One line as kept in evidence: plain strings, so its hash reads the same after a round trip. */
export interface EvidenceLine {
  readonly id: string;
  readonly serverId: string;
  readonly channel: string;
  readonly sender: string;
  readonly recipient: string | null;
  readonly body: string;
  readonly sentAt: string;
}

export interface StoredEvidence {
  readonly realmId: string;
  readonly reportId: string;
  readonly windowFrom: Date;
  readonly windowTo: Date;
  readonly location: unknown;
  readonly lines: EvidenceLine[];
  readonly sha256: string;
  readonly capturedAt: Date;
}

@Injectable()
export class EvidenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Reports filed since `filedAfter` about incidents before `occurredBefore` (their window has
   * closed and its chat had time to arrive) that have no evidence yet, locked so that two
   * workers never capture the same one (SKIP LOCKED).
   */
  lockDue(
    manager: EntityManager,
    filedAfter: Date,
    occurredBefore: Date,
    limit: number,
  ): Promise<DueReport[]> {
    return manager.query(
      `SELECT r.id AS "reportId", r.realm_id AS "realmId", r.occurred_at AS "occurredAt",
              r.location, reporter.account_id AS "reporterAccountId",
              reported.account_id AS "reportedAccountId"
         FROM reports r
         JOIN players reporter ON reporter.id = r.reporter_player_id
         JOIN players reported ON reported.id = r.reported_player_id
        WHERE r.created_at >= $1 AND r.occurred_at < $2
          AND NOT EXISTS (SELECT 1 FROM report_evidence e WHERE e.report_id = r.id)
        ORDER BY r.created_at
        LIMIT $3
        FOR UPDATE OF r SKIP LOCKED`,
      [filedAfter, occurredBefore, limit],
    );
  }

  /**
   * The chat of an incident: what either player said in public channels, and the whispers
   * between the two of them (not their whispers to anyone else), oldest first.
   */
  linesFor(
    manager: EntityManager,
    report: DueReport,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<EvidenceLine[]> {
    return manager.query(
      `SELECT id::text AS id, server_id::text AS "serverId", channel,
              sender_account_id AS sender, recipient_account_id AS recipient, body,
              to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sentAt"
         FROM chat_messages
        WHERE realm_id = $1 AND sent_at >= $2 AND sent_at <= $3
          AND ((sender_account_id IN ($4, $5) AND channel <> 'whisper')
            OR (channel = 'whisper' AND ((sender_account_id = $4 AND recipient_account_id = $5)
                                      OR (sender_account_id = $5 AND recipient_account_id = $4))))
        ORDER BY sent_at, id
        LIMIT $6`,
      [report.realmId, from, to, report.reportedAccountId, report.reporterAccountId, limit],
    );
  }

  async insert(
    manager: EntityManager,
    evidence: Omit<StoredEvidence, 'capturedAt'>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO report_evidence
         (realm_id, report_id, window_from, window_to, location, lines, line_count, sha256)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [
        evidence.realmId,
        evidence.reportId,
        evidence.windowFrom,
        evidence.windowTo,
        evidence.location === null || evidence.location === undefined
          ? null
          : JSON.stringify(evidence.location),
        JSON.stringify(evidence.lines),
        evidence.lines.length,
        evidence.sha256,
      ],
    );
  }

  async find(reportId: string): Promise<StoredEvidence | null> {
    const rows: StoredEvidence[] = await this.dataSource.query(
      `SELECT realm_id AS "realmId", report_id AS "reportId", window_from AS "windowFrom",
              window_to AS "windowTo", location, lines, sha256, captured_at AS "capturedAt"
         FROM report_evidence WHERE report_id = $1`,
      [reportId],
    );
    return rows[0] ?? null;
  }
}

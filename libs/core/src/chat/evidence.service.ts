import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { canonicalJson, sha256 } from '../common/hashing';
import type { StaffPrincipal } from '../common/principal';
import { ReportsService } from '../reports/reports.service';
import { EvidenceRepository, type EvidenceLine, type StoredEvidence } from './evidence.repository';

/** The most lines one report keeps: a flood in the window is cut, the count says so. */
const MAX_EVIDENCE_LINES = 1000;
const REPORTS_PER_ROUND = 50;
/** Reports older than this are no longer captured (the worker was down longer than that). */
const LOOKBACK_MS = 2 * 86_400_000;

export type EvidenceView =
  | { readonly status: 'pending'; readonly dueAt: Date }
  | {
      readonly status: 'captured';
      /** The stored hash matches the stored content: no one edited the row since capture. */
      readonly verified: boolean;
      readonly evidence: StoredEvidence;
    };

/**
 * Chat evidence for reports (DESIGN §2): once the incident's window has closed and its chat has
 * had EVIDENCE_CAPTURE_DELAY_SECONDS to arrive, the worker copies the lines of the two players (and the
 * whispers between them) with the report's location into `report_evidence`, hashed over a
 * canonical form. Taken by the server, not sent by a client; kept apart from chat, so retention
 * does not touch it; taken after filing, not in it, so a report filed seconds after the incident
 * still gets the minute after it, and intake (the hot path) does no extra work.
 */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: EvidenceRepository,
    private readonly reports: ReportsService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Captures the evidence of every report that is due; returns how many. */
  async captureDue(now = new Date()): Promise<number> {
    const { evidenceAfterSeconds, evidenceDelaySeconds } = this.config.chat;
    const occurredBefore = new Date(
      now.getTime() - (evidenceAfterSeconds + evidenceDelaySeconds) * 1000,
    );
    return this.transactions.run(async (manager) => {
      const due = await this.repository.lockDue(
        manager,
        new Date(now.getTime() - LOOKBACK_MS),
        occurredBefore,
        REPORTS_PER_ROUND,
      );
      for (const report of due) {
        const { from, to } = this.windowOf(report.occurredAt);
        const lines = await this.repository.linesFor(manager, report, from, to, MAX_EVIDENCE_LINES);
        const content = {
          realmId: report.realmId,
          reportId: report.reportId,
          windowFrom: from,
          windowTo: to,
          location: report.location ?? null,
          lines,
        };
        await this.repository.insert(manager, { ...content, sha256: hashOf(content) });
      }
      return due.length;
    });
  }

  /** The evidence of a report the caller may see (audited: it holds players' whispers). */
  async forStaff(actor: StaffPrincipal, reportId: string): Promise<EvidenceView> {
    const { report } = await this.reports.getVisible(actor, reportId);
    const evidence = await this.repository.find(report.id);
    await this.transactions.run((manager) =>
      this.audit.record(
        actor,
        {
          action: 'report.evidence_viewed',
          targetType: 'report',
          targetId: report.id,
          realmId: report.realmId,
        },
        manager,
      ),
    );
    if (!evidence) {
      const { evidenceAfterSeconds, evidenceDelaySeconds } = this.config.chat;
      return {
        status: 'pending',
        dueAt: new Date(
          report.occurredAt.getTime() + (evidenceAfterSeconds + evidenceDelaySeconds) * 1000,
        ),
      };
    }
    return { status: 'captured', verified: hashOf(evidence) === evidence.sha256, evidence };
  }

  private windowOf(occurredAt: Date): { from: Date; to: Date } {
    const { evidenceBeforeSeconds, evidenceAfterSeconds } = this.config.chat;
    return {
      from: new Date(occurredAt.getTime() - evidenceBeforeSeconds * 1000),
      to: new Date(occurredAt.getTime() + evidenceAfterSeconds * 1000),
    };
  }
}

/** SHA-256 over the canonical JSON of what the evidence says (not when it was captured). */
function hashOf(content: {
  readonly realmId: string;
  readonly reportId: string;
  readonly windowFrom: Date;
  readonly windowTo: Date;
  readonly location: unknown;
  readonly lines: readonly EvidenceLine[];
}): string {
  return sha256(
    canonicalJson({
      realmId: content.realmId,
      reportId: content.reportId,
      windowFrom: content.windowFrom,
      windowTo: content.windowTo,
      location: content.location ?? null,
      lines: content.lines,
    }),
  ).toString('hex');
}

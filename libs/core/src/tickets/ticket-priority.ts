import type { CategoryGroup, ReportCategory, TicketPriority } from '@gmdesk/contracts';

export const PRIORITY_RANK: Record<TicketPriority, number> = {
  urgent: 0,
  high: 1,
  normal: 2,
  low: 3,
};
const BY_RANK: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];

/** How much harm a category does if true: 1 nuisance, 2 serious, 3 severe. */
export const CATEGORY_SEVERITY: Record<ReportCategory, 1 | 2 | 3> = {
  cheating: 3,
  exploit: 3,
  hate_speech: 3,
  harassment: 2,
  rmt: 2,
  griefing: 1,
  spam: 1,
  offensive_name: 1,
  other: 1,
};

export const CATEGORY_GROUP: Record<ReportCategory, CategoryGroup> = {
  cheating: 'unfair_play',
  exploit: 'unfair_play',
  griefing: 'unfair_play',
  harassment: 'abuse',
  hate_speech: 'abuse',
  offensive_name: 'abuse',
  spam: 'commerce',
  rmt: 'commerce',
  other: 'other',
};

/** One report as the case scoring sees it. */
export interface CaseReportSignal {
  readonly category: ReportCategory;
  readonly reporterId: string;
  /** The reporter's credibility (0..1) when they filed. */
  readonly weight: number;
  /** The reporter's account was first seen recently. */
  readonly reporterIsNew: boolean;
}

export interface CaseAssessment {
  readonly score: number;
  readonly priority: TicketPriority;
  readonly reportCount: number;
  readonly reporterCount: number;
  readonly flags: readonly string[];
}

export const BRIGADING_FLAG = 'possible_brigading';
/** An account younger than this counts as new for brigading. */
export const NEW_ACCOUNT_MS = 24 * 3600_000;
const LOW_CREDIBILITY = 0.3;

/**
 * Scores a case from its reports. The score is the credibility-weighted sum of distinct
 * reporters; severity sets the base priority, and weight from several credible reporters raises
 * it. When most reporters are new or low-credibility accounts the case is flagged as possible
 * brigading and does not escalate: a pile-on must not outrank a credible single report.
 */
export function assessCase(reports: readonly CaseReportSignal[]): CaseAssessment {
  const byReporter = new Map<string, CaseReportSignal>();
  for (const report of reports) {
    const seen = byReporter.get(report.reporterId);
    if (!seen || report.weight > seen.weight) {
      byReporter.set(report.reporterId, report);
    }
  }
  const reporters = [...byReporter.values()];
  const score = round(reporters.reduce((sum, report) => sum + report.weight, 0));
  const severity = Math.max(1, ...reports.map((report) => CATEGORY_SEVERITY[report.category]));
  const suspicious = reporters.filter((r) => r.reporterIsNew || r.weight < LOW_CREDIBILITY).length;
  const brigading = reporters.length >= 3 && suspicious / reporters.length >= 0.6;

  let rank =
    severity === 3 ? PRIORITY_RANK.high : severity === 2 ? PRIORITY_RANK.normal : PRIORITY_RANK.low;
  if (!brigading) {
    if (score >= 1.5 && reporters.length >= 3) {
      rank -= 1;
    }
    if (score >= 4 && reporters.length >= 6) {
      rank -= 1;
    }
  }
  return {
    score,
    priority: BY_RANK[Math.max(0, Math.min(3, rank))],
    reportCount: reports.length,
    reporterCount: reporters.length,
    flags: brigading ? [BRIGADING_FLAG] : [],
  };
}

/**
 * Whether a reporter's account is new, for brigading. The age is the game's own: when the game
 * server gave the account's creation time (`accountCreatedAt`), that; otherwise when the platform
 * first saw the player, which makes an old account new on the day a game starts using gmdesk.
 */
export function isNewAccount(accountCreatedAt: Date | null, firstSeenAt: Date, now: Date): boolean {
  const createdAt = accountCreatedAt ?? firstSeenAt;
  return now.getTime() - createdAt.getTime() < NEW_ACCOUNT_MS;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

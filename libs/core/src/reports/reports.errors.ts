import { DomainError, RateLimitedError } from '../common/domain-error';

export enum ReportErrorCode {
  ReportNotFound = 'report_not_found',
  ReportBanned = 'report_banned',
  SelfReport = 'report_self',
  RealmForbidden = 'realm_forbidden',
}

const MESSAGES: Record<ReportErrorCode, string> = {
  [ReportErrorCode.ReportNotFound]: 'No such report.',
  [ReportErrorCode.ReportBanned]: 'This player may not file reports at the moment.',
  [ReportErrorCode.SelfReport]: 'A player cannot report themselves.',
  [ReportErrorCode.RealmForbidden]: 'You can only act within your own realm.',
};

export class ReportError extends DomainError<ReportErrorCode> {
  constructor(code: ReportErrorCode, details?: unknown) {
    super(code, MESSAGES[code], details);
  }
}

export class ReportRateLimitedError extends RateLimitedError {
  static reporter(retryAfterSeconds: number): ReportRateLimitedError {
    return new ReportRateLimitedError(
      'report_rate_limited',
      'You have filed too many reports recently; try again later.',
      retryAfterSeconds,
    );
  }

  static target(retryAfterSeconds: number): ReportRateLimitedError {
    return new ReportRateLimitedError(
      'report_cooldown',
      'You reported this player recently; try again later.',
      retryAfterSeconds,
    );
  }
}

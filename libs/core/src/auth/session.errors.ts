import { DomainError } from '../common/domain-error';

/** Refusals of `POST /auth/refresh` before any credential is checked. */
export enum SessionErrorCode {
  /** No refresh cookie came with the request: never signed in here, signed out, or it expired. */
  RefreshCookieMissing = 'refresh_cookie_missing',
  /** The request lacks the console's `X-Requested-With` header (a cross-site form or script). */
  CsrfCheckFailed = 'csrf_check_failed',
}

const MESSAGES: Record<SessionErrorCode, string> = {
  [SessionErrorCode.RefreshCookieMissing]:
    'No sign-in session: the refresh cookie is missing (signed out, or it expired). Sign in again.',
  [SessionErrorCode.CsrfCheckFailed]:
    'This request must carry the header "X-Requested-With: gmdesk-console".',
};

export class SessionError extends DomainError<SessionErrorCode> {
  constructor(code: SessionErrorCode) {
    super(code, MESSAGES[code]);
  }
}

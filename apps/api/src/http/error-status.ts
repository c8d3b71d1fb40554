import { HttpStatus } from '@nestjs/common';

/** Codes whose HTTP status is not implied by their suffix. */
const EXPLICIT: Record<string, HttpStatus> = {
  unauthenticated: HttpStatus.UNAUTHORIZED,
  token_expired: HttpStatus.UNAUTHORIZED,
  token_revoked: HttpStatus.UNAUTHORIZED,
  token_lifetime_too_long: HttpStatus.UNAUTHORIZED,
  key_revoked: HttpStatus.UNAUTHORIZED,
  account_disabled: HttpStatus.UNAUTHORIZED,
  invalid_credentials: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  report_banned: HttpStatus.FORBIDDEN,
  validation_failed: HttpStatus.BAD_REQUEST,
  malformed_json: HttpStatus.BAD_REQUEST,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  idempotency_key_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  chat_batch_id_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  chat_batches_in_flight: HttpStatus.TOO_MANY_REQUESTS,
  report_self: HttpStatus.UNPROCESSABLE_ENTITY,
  assignee_not_found: HttpStatus.UNPROCESSABLE_ENTITY,
  ticket_invalid_transition: HttpStatus.CONFLICT,
  ticket_closed: HttpStatus.CONFLICT,
  sanction_already_revoked: HttpStatus.CONFLICT,
  sanction_ticket_other_realm: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  report_rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  report_cooldown: HttpStatus.TOO_MANY_REQUESTS,
  too_many_failed_logins: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** `ticket_not_found` and the bare `not_found` both end in the word `not_found`. */
function endsWithWord(code: string, word: string): boolean {
  return code === word || code.endsWith(`_${word}`);
}

/** Maps a domain error code to its HTTP status: explicit table first, then by suffix. */
export function httpStatusFor(code: string): HttpStatus {
  // hasOwn, so that a code such as "constructor" is not looked up on Object.prototype.
  if (Object.hasOwn(EXPLICIT, code)) {
    return EXPLICIT[code];
  }
  if (endsWithWord(code, 'not_found')) {
    return HttpStatus.NOT_FOUND;
  }
  if (endsWithWord(code, 'forbidden')) {
    return HttpStatus.FORBIDDEN;
  }
  if (endsWithWord(code, 'conflict')) {
    return HttpStatus.CONFLICT;
  }
  return HttpStatus.BAD_REQUEST;
}

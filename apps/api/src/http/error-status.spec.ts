import { HttpStatus } from '@nestjs/common';
import { httpStatusFor } from './error-status';

describe('httpStatusFor', () => {
  const sut = httpStatusFor;

  describe('explicit codes', () => {
    it.each([
      ['unauthenticated', HttpStatus.UNAUTHORIZED],
      ['token_expired', HttpStatus.UNAUTHORIZED],
      ['key_revoked', HttpStatus.UNAUTHORIZED],
      ['account_disabled', HttpStatus.UNAUTHORIZED],
      ['invalid_credentials', HttpStatus.UNAUTHORIZED],
      ['forbidden', HttpStatus.FORBIDDEN],
      ['report_banned', HttpStatus.FORBIDDEN],
      ['validation_failed', HttpStatus.BAD_REQUEST],
      ['malformed_json', HttpStatus.BAD_REQUEST],
      ['payload_too_large', HttpStatus.PAYLOAD_TOO_LARGE],
      ['idempotency_key_reused', HttpStatus.UNPROCESSABLE_ENTITY],
      ['report_self', HttpStatus.UNPROCESSABLE_ENTITY],
      ['ticket_invalid_transition', HttpStatus.CONFLICT],
      ['ticket_closed', HttpStatus.CONFLICT],
      ['rate_limited', HttpStatus.TOO_MANY_REQUESTS],
      ['report_rate_limited', HttpStatus.TOO_MANY_REQUESTS],
      ['report_cooldown', HttpStatus.TOO_MANY_REQUESTS],
      ['internal', HttpStatus.INTERNAL_SERVER_ERROR],
    ])('maps %s to %i', (code, status) => {
      expect(sut(code)).toBe(status);
    });

    it('lets an explicit entry win over the suffix: a missing assignee is a bad request body, not a missing ticket', () => {
      expect(sut('assignee_not_found')).toBe(HttpStatus.UNPROCESSABLE_ENTITY);
    });
  });

  describe('defaults by suffix', () => {
    it.each(['ticket_not_found', 'player_not_found', 'game_server_not_found'])(
      'maps %s to 404',
      (code) => {
        expect(sut(code)).toBe(HttpStatus.NOT_FOUND);
      },
    );

    it.each(['realm_forbidden', 'ticket_reply_forbidden', 'staff_self_change_forbidden'])(
      'maps %s to 403',
      (code) => {
        expect(sut(code)).toBe(HttpStatus.FORBIDDEN);
      },
    );

    it.each(['staff_conflict', 'realm_conflict'])('maps %s to 409', (code) => {
      expect(sut(code)).toBe(HttpStatus.CONFLICT);
    });

    it('maps the bare not_found code to 404 like its suffixed cousins', () => {
      expect(sut('not_found')).toBe(HttpStatus.NOT_FOUND);
    });

    it('maps the bare conflict code to 409', () => {
      expect(sut('conflict')).toBe(HttpStatus.CONFLICT);
    });

    it('does not treat a code that merely contains a suffix word as that suffix', () => {
      expect(sut('not_found_yet_again')).toBe(HttpStatus.BAD_REQUEST);
      expect(sut('unforbidden')).toBe(HttpStatus.BAD_REQUEST);
    });

    it('does not mistake a property every object has for a known code', () => {
      expect(sut('constructor')).toBe(HttpStatus.BAD_REQUEST);
      expect(sut('toString')).toBe(HttpStatus.BAD_REQUEST);
    });

    it('maps a code it does not know to 400, never to a 5xx', () => {
      expect(sut('something_new')).toBe(HttpStatus.BAD_REQUEST);
    });
  });
});

import { checkChatLine, isRejected } from './chat-line';

const NOW = new Date('2026-12-02T12:00:00Z');
const WINDOW = { maxAgeMs: 72 * 3600_000, maxSkewMs: 5 * 60_000 };
const base = { channel: 'say', sender: 'player-1', body: 'hello', sentAt: '2026-12-02T11:59:00Z' };
const check = (line: unknown) => checkChatLine(line, 7, NOW, WINDOW);

describe('checkChatLine', () => {
  it('keeps a good line as sent, with its index', () => {
    expect(check({ ...base, channel: 'whisper', recipient: 'player-2' })).toEqual({
      index: 7,
      channel: 'whisper',
      senderAccountId: 'player-1',
      recipientAccountId: 'player-2',
      body: 'hello',
      sentAt: new Date('2026-12-02T11:59:00Z'),
    });
    // A game's own channel, an offset timestamp, 1,000 emoji (2,000 UTF-16 units).
    expect(isRejected(check({ ...base, channel: 'lfg_eu-2' }))).toBe(false);
    expect(isRejected(check({ ...base, sentAt: '2026-12-02T12:59:00+01:00' }))).toBe(false);
    expect(isRejected(check({ ...base, body: '🎮'.repeat(1000) }))).toBe(false);
  });

  it.each([
    ['not an object', 'hello', 'not_an_object'],
    ['an array', [base], 'not_an_object'],
    ['a field it does not know', { ...base, realmId: 'eu-2' }, 'unknown_field'],
    ['an upper-case channel', { ...base, channel: 'Trade' }, 'invalid_channel'],
    ['a channel too long', { ...base, channel: 'c'.repeat(33) }, 'invalid_channel'],
    ['a sender with spaces', { ...base, sender: 'a b' }, 'invalid_sender'],
    ['a numeric recipient', { ...base, recipient: 42 }, 'invalid_recipient'],
    ['a whisper to nobody', { ...base, channel: 'whisper' }, 'recipient_required'],
    ['a blank body', { ...base, body: '   ' }, 'invalid_body'],
    ['a NUL', { ...base, body: 'a\u0000b' }, 'invalid_body'],
    ['a lone surrogate', { ...base, body: 'a\udc00b' }, 'invalid_body'],
    ['1,001 characters', { ...base, body: 'x'.repeat(1001) }, 'body_too_long'],
    ['a date without time zone', { ...base, sentAt: '2026-12-02T11:59:00' }, 'invalid_sent_at'],
    ['an impossible date', { ...base, sentAt: '2026-13-45T11:59:00Z' }, 'invalid_sent_at'],
    ['a line from the future', { ...base, sentAt: '2026-12-02T12:06:00Z' }, 'sent_at_out_of_range'],
    ['a line too old', { ...base, sentAt: '2026-11-29T11:59:00Z' }, 'sent_at_out_of_range'],
  ])('refuses %s', (_label, line, code) => {
    expect(check(line)).toEqual({ index: 7, code });
  });
});

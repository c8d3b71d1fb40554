/**
 * The rules one chat line must meet to be stored. A batch is checked line by line: good lines are
 * stored, bad ones are answered by index and reason, so one broken line never costs a game server
 * the rest of its batch (or makes it resend thousands of good ones).
 */

/** Channels games commonly have; a game's own channel names are accepted when well-formed. */
export const KNOWN_CHAT_CHANNELS = [
  'say',
  'yell',
  'emote',
  'party',
  'raid',
  'guild',
  'officer',
  'whisper',
  'trade',
  'world',
  'zone',
  'lfg',
  'system',
] as const;

export const MAX_CHAT_LINES_PER_BATCH = 5000;
export const MAX_CHAT_BODY_CHARACTERS = 1000;

const CHANNEL_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;
/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export type ChatLineProblem =
  | 'not_an_object'
  | 'unknown_field'
  | 'invalid_channel'
  | 'invalid_sender'
  | 'invalid_recipient'
  | 'recipient_required'
  | 'invalid_body'
  | 'body_too_long'
  | 'invalid_sent_at'
  | 'sent_at_out_of_range';

/** A line as stored. */
export interface ChatLine {
  readonly index: number;
  readonly channel: string;
  readonly senderAccountId: string;
  readonly recipientAccountId: string | null;
  readonly body: string;
  readonly sentAt: Date;
}

export interface RejectedChatLine {
  readonly index: number;
  readonly code: ChatLineProblem;
}

export interface ChatLineWindow {
  /** How old a line may be when it arrives (a server's backlog after an outage). */
  readonly maxAgeMs: number;
  /** How far ahead of our clock a server's clock may run. */
  readonly maxSkewMs: number;
}

const FIELDS = new Set(['channel', 'sender', 'recipient', 'body', 'sentAt']);

/** The line as stored, or why it is refused. `now` is the server's clock at receipt. */
export function checkChatLine(
  raw: unknown,
  index: number,
  now: Date,
  window: ChatLineWindow,
): ChatLine | RejectedChatLine {
  const refuse = (code: ChatLineProblem): RejectedChatLine => ({ index, code });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return refuse('not_an_object');
  }
  const line = raw as Record<string, unknown>;
  for (const key of Object.keys(line)) {
    if (!FIELDS.has(key)) {
      return refuse('unknown_field');
    }
  }
  const { channel, sender, recipient, body, sentAt } = line;
  if (typeof channel !== 'string' || !CHANNEL_PATTERN.test(channel)) {
    return refuse('invalid_channel');
  }
  if (typeof sender !== 'string' || !ACCOUNT_ID_PATTERN.test(sender)) {
    return refuse('invalid_sender');
  }
  if (
    recipient !== undefined &&
    (typeof recipient !== 'string' || !ACCOUNT_ID_PATTERN.test(recipient))
  ) {
    return refuse('invalid_recipient');
  }
  if (channel === 'whisper' && recipient === undefined) {
    return refuse('recipient_required');
  }
  if (
    typeof body !== 'string' ||
    body.trim().length === 0 ||
    body.includes('\u0000') ||
    LONE_SURROGATE.test(body)
  ) {
    return refuse('invalid_body');
  }
  // Characters as people count them (an emoji is one), not UTF-16 units.
  if (body.length > MAX_CHAT_BODY_CHARACTERS && [...body].length > MAX_CHAT_BODY_CHARACTERS) {
    return refuse('body_too_long');
  }
  if (typeof sentAt !== 'string' || !ISO_TIMESTAMP.test(sentAt)) {
    return refuse('invalid_sent_at');
  }
  const sent = new Date(sentAt);
  if (Number.isNaN(sent.getTime())) {
    return refuse('invalid_sent_at');
  }
  const age = now.getTime() - sent.getTime();
  if (age > window.maxAgeMs || -age > window.maxSkewMs) {
    return refuse('sent_at_out_of_range');
  }
  return {
    index,
    channel,
    senderAccountId: sender,
    recipientAccountId: typeof recipient === 'string' ? recipient : null,
    body,
    sentAt: sent,
  };
}

export function isRejected(line: ChatLine | RejectedChatLine): line is RejectedChatLine {
  return 'code' in line;
}

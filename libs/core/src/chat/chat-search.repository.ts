import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A stored chat line as staff read it. */
export interface ChatMessageRow {
  readonly id: string;
  readonly realmId: string;
  readonly serverId: string;
  readonly channel: string;
  readonly senderAccountId: string;
  readonly recipientAccountId: string | null;
  readonly body: string;
  readonly sentAt: Date;
}

export interface ChatSearchFilter {
  readonly realmId: string;
  /** Lines this player sent or received. */
  readonly playerAccountId?: string;
  readonly channel?: string;
  readonly from: Date;
  readonly to: Date;
  /** Text the line contains, case-insensitively (any language: trigram index). */
  readonly text?: string;
  /** Keyset of the last line of the previous page (newest first). */
  readonly before?: { readonly sentAt: string; readonly id: string };
  readonly limit: number;
}

const COLUMNS = `id::text AS id, realm_id AS "realmId", server_id AS "serverId", channel,
  sender_account_id AS "senderAccountId", recipient_account_id AS "recipientAccountId",
  body, sent_at AS "sentAt"`;

/** `%`, `_` and `\` taken literally inside ILIKE. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * Reads of chat for staff. The statements are built from the filters present (and run unnamed),
 * so PostgreSQL plans each shape with its real values: a generic plan over optional filters would
 * pick one index for every search.
 */
@Injectable()
export class ChatSearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  search(filter: ChatSearchFilter): Promise<ChatMessageRow[]> {
    const values: unknown[] = [filter.realmId, filter.from, filter.to];
    const where = ['realm_id = $1', 'sent_at >= $2', 'sent_at < $3'];
    const add = (condition: (parameter: string) => string, value: unknown): void => {
      values.push(value);
      where.push(condition(`$${values.length}`));
    };
    if (filter.playerAccountId !== undefined) {
      add(
        (p) => `(sender_account_id = ${p} OR recipient_account_id = ${p})`,
        filter.playerAccountId,
      );
    }
    if (filter.channel !== undefined) {
      add((p) => `channel = ${p}`, filter.channel);
    }
    if (filter.text !== undefined) {
      add((p) => `body ILIKE ${p}`, likePattern(filter.text));
    }
    if (filter.before !== undefined) {
      values.push(filter.before.sentAt, filter.before.id);
      where.push(`(sent_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::bigint)`);
    }
    values.push(filter.limit);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE ${where.join(' AND ')}
        ORDER BY sent_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
  }

  /** One line, by its full key (the partitioned table has no index on `id` alone). */
  async find(realmId: string, sentAt: string, id: string): Promise<ChatMessageRow | null> {
    const rows: ChatMessageRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages WHERE realm_id = $1 AND sent_at = $2 AND id = $3`,
      [realmId, sentAt, id],
    );
    return rows[0] ?? null;
  }

  /**
   * The lines said around `line` where it was said: the same channel (for a whisper, between the
   * same two players), `count` before and after, within a day of it; oldest first.
   */
  async around(line: ChatMessageRow, count: number): Promise<ChatMessageRow[]> {
    const day = 86_400_000;
    const values: unknown[] = [
      line.realmId,
      line.channel,
      new Date(line.sentAt.getTime() - day),
      new Date(line.sentAt.getTime() + day),
      line.sentAt,
      line.id,
      count,
    ];
    const pair =
      line.channel === 'whisper'
        ? `AND ((sender_account_id = $8 AND recipient_account_id = $9)
             OR (sender_account_id = $9 AND recipient_account_id = $8))`
        : '';
    if (line.channel === 'whisper') {
      values.push(line.senderAccountId, line.recipientAccountId);
    }
    const scope = `realm_id = $1 AND channel = $2 AND sent_at >= $3 AND sent_at < $4 ${pair}`;
    return this.dataSource.query(
      `SELECT * FROM (
         (SELECT ${COLUMNS} FROM chat_messages
           WHERE ${scope} AND (sent_at, id) < ($5, $6::bigint)
           ORDER BY sent_at DESC, id DESC LIMIT $7)
         UNION ALL
         (SELECT ${COLUMNS} FROM chat_messages
           WHERE ${scope} AND (sent_at, id) >= ($5, $6::bigint)
           ORDER BY sent_at, id LIMIT $7 + 1)
       ) AS around ORDER BY "sentAt", id::bigint`,
      values,
    );
  }

  /** Whispers between two players, both ways, newest first. */
  conversation(
    realmId: string,
    a: string,
    b: string,
    from: Date,
    to: Date,
    before: { readonly sentAt: string; readonly id: string } | undefined,
    limit: number,
  ): Promise<ChatMessageRow[]> {
    const values: unknown[] = [realmId, a, b, from, to, limit];
    let keyset = '';
    if (before) {
      values.push(before.sentAt, before.id);
      keyset = 'AND (sent_at, id) < ($7::timestamptz, $8::bigint)';
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM chat_messages
        WHERE realm_id = $1 AND channel = 'whisper' AND sent_at >= $4 AND sent_at < $5
          AND ((sender_account_id = $2 AND recipient_account_id = $3)
            OR (sender_account_id = $3 AND recipient_account_id = $2))
          ${keyset}
        ORDER BY sent_at DESC, id DESC LIMIT $6`,
      values,
    );
  }
}

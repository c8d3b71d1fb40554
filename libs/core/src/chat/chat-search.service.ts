import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { AuditService, type AuditRecord } from '../audit/audit.service';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { decodeCursor, encodeCursor, isCursorTimestamp, type Page } from '../common/page';
import { staffCoversRealm, type StaffPrincipal } from '../common/principal';
import { RealmError, RealmErrorCode } from '../realms/realms.errors';
import { ChatSearchRepository, type ChatMessageRow } from './chat-search.repository';
import { ChatError, ChatErrorCode } from './chat.errors';

const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 50;
/** Lines shown on each side of one line. */
const DEFAULT_CONTEXT = 10;

export interface ChatSearchInput {
  readonly realmId: string;
  readonly player?: string;
  readonly channel?: string;
  /** Default: a day before `to`. */
  readonly from?: Date;
  /** Default: now. */
  readonly to?: Date;
  readonly text?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface ChatContextInput {
  readonly realmId: string;
  readonly id: string;
  readonly sentAt: string;
  readonly count?: number;
}

export interface ChatConversationInput {
  readonly realmId: string;
  readonly a: string;
  readonly b: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly cursor?: string;
  readonly limit?: number;
}

/**
 * Chat for staff: search (player, channel, time range, text), the lines around one line, the
 * whispers between two players. Realm-scoped like every staff read, and audited: reading players'
 * chat, whispers above all, is itself an act staff answer for.
 */
@Injectable()
export class ChatSearchService {
  constructor(
    private readonly repository: ChatSearchRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async search(actor: StaffPrincipal, input: ChatSearchInput): Promise<Page<ChatMessageRow>> {
    requireRealm(actor, input.realmId);
    const { from, to } = rangeOf(input.from, input.to);
    const limit = input.limit ?? DEFAULT_LIMIT;
    const rows = await this.repository.search({
      realmId: input.realmId,
      playerAccountId: input.player,
      channel: input.channel,
      from,
      to,
      text: input.text,
      before: input.cursor === undefined ? undefined : parseCursor(input.cursor),
      limit: limit + 1,
    });
    await this.record(actor, {
      action: 'chat.search',
      targetType: 'realm',
      targetId: input.realmId,
      realmId: input.realmId,
      after: {
        player: input.player ?? null,
        channel: input.channel ?? null,
        text: input.text ?? null,
        from: from.toISOString(),
        to: to.toISOString(),
      },
    });
    return pageOf(rows, limit);
  }

  async context(
    actor: StaffPrincipal,
    input: ChatContextInput,
  ): Promise<{ line: ChatMessageRow; lines: ChatMessageRow[] }> {
    requireRealm(actor, input.realmId);
    const line = await this.repository.find(input.realmId, input.sentAt, input.id);
    if (!line) {
      throw new ChatError(ChatErrorCode.MessageNotFound, 'No such chat line in this realm.', {
        id: input.id,
      });
    }
    const lines = await this.repository.around(line, input.count ?? DEFAULT_CONTEXT);
    await this.record(actor, {
      action: 'chat.context',
      targetType: 'chat_message',
      targetId: line.id,
      realmId: line.realmId,
      after: { channel: line.channel, sentAt: line.sentAt.toISOString() },
    });
    return { line, lines };
  }

  async conversation(
    actor: StaffPrincipal,
    input: ChatConversationInput,
  ): Promise<Page<ChatMessageRow>> {
    requireRealm(actor, input.realmId);
    const { from, to } = rangeOf(input.from, input.to, 30);
    const limit = input.limit ?? DEFAULT_LIMIT;
    const rows = await this.repository.conversation(
      input.realmId,
      input.a,
      input.b,
      from,
      to,
      input.cursor === undefined ? undefined : parseCursor(input.cursor),
      limit + 1,
    );
    await this.record(actor, {
      action: 'chat.conversation',
      targetType: 'realm',
      targetId: input.realmId,
      realmId: input.realmId,
      after: { players: [input.a, input.b], from: from.toISOString(), to: to.toISOString() },
    });
    return pageOf(rows, limit);
  }

  private record(actor: StaffPrincipal, record: AuditRecord): Promise<void> {
    return this.transactions.run((manager) => this.audit.record(actor, record, manager));
  }
}

function requireRealm(actor: StaffPrincipal, realmId: string): void {
  if (!staffCoversRealm(actor, realmId)) {
    throw new RealmError(RealmErrorCode.RealmNotFound, { realmId });
  }
}

function rangeOf(from: Date | undefined, to: Date | undefined, defaultDays = 1) {
  const end = to ?? new Date();
  const start = from ?? new Date(end.getTime() - defaultDays * DAY_MS);
  if (start >= end) {
    throw new CommonError(CommonErrorCode.ValidationFailed, 'from must be before to.', [
      { field: 'from', problem: 'must be before to' },
    ]);
  }
  return { from: start, to: end };
}

function pageOf(rows: ChatMessageRow[], limit: number): Page<ChatMessageRow> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > limit && last ? encodeCursor([last.sentAt.toISOString(), last.id]) : null,
  };
}

function parseCursor(cursor: string): { sentAt: string; id: string } {
  const values = decodeCursor(cursor);
  if (values?.length === 2) {
    const [sentAt, id] = values;
    if (isCursorTimestamp(sentAt) && typeof id === 'string' && /^\d{1,19}$/.test(id)) {
      return { sentAt, id };
    }
  }
  throw new CommonError(CommonErrorCode.ValidationFailed, 'The cursor is not valid.', [
    { field: 'cursor', problem: 'is not a cursor this listing issued' },
  ]);
}

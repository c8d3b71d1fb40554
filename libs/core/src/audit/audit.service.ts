import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { decodeCursor, encodeCursor, Page } from '../common/page';
import { auditActor, Principal } from '../common/principal';
import { realmScopeOf } from '../common/realm-scope';
import { currentRequestId } from '../common/request-context';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';

export interface AuditRecord {
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly realmId?: string | null;
  readonly before?: object | null;
  readonly after?: object | null;
}

export interface ListAuditQuery {
  readonly targetType?: string;
  readonly targetId?: string;
  readonly actorId?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  /** Appends inside the caller's transaction, so the action and its audit entry commit together. */
  record(actor: Principal, record: AuditRecord, manager: EntityManager): Promise<void> {
    return this.repository.append(
      {
        ...auditActor(actor),
        action: record.action,
        targetType: record.targetType,
        targetId: record.targetId,
        realmId: record.realmId ?? null,
        before: record.before ?? null,
        after: record.after ?? null,
        requestId: currentRequestId(),
      },
      manager,
    );
  }

  async list(viewer: Principal, query: ListAuditQuery): Promise<Page<AuditEntryEntity>> {
    const limit = query.limit ?? 50;
    let beforeId: string | undefined;
    if (query.cursor) {
      const decoded = decodeCursor(query.cursor);
      if (!decoded || decoded.length !== 1 || !isEntryId(decoded[0])) {
        throw new CommonError(CommonErrorCode.ValidationFailed, 'The cursor is not valid.', [
          { field: 'cursor', problem: 'is not a cursor this API issued' },
        ]);
      }
      beforeId = decoded[0];
    }
    const rows = await this.repository.list(
      { ...query, beforeId, limit: limit + 1 },
      realmScopeOf(viewer),
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
  }
}

const MAX_BIGINT = 2n ** 63n - 1n;

/** An id the bigint column can hold; anything else in a cursor would fail the query, not the request. */
function isEntryId(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT
  );
}

import { TransactionRunner } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { canonicalJson, sha256 } from '../common/hashing';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyRepository } from './idempotency.repository';

export interface IdempotentResult<T> {
  readonly status: number;
  readonly body: T;
  /** True when this is the stored answer to an earlier call with the same key. */
  readonly replayed: boolean;
}

export interface IdempotencyRequest {
  /** Who is calling: keys of different callers never collide. */
  readonly scope: string;
  readonly key?: string;
  /** What is being asked; the same key with a different request is refused. */
  readonly request: unknown;
}

class KeyAlreadyClaimed extends Error {}

/**
 * Runs a write at most once per (caller, Idempotency-Key). The key is claimed in the write's own
 * transaction, so the answer is stored exactly when the write commits; a failed write leaves no
 * claim behind and may be retried with the same key.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async run<T>(
    { scope, key, request }: IdempotencyRequest,
    work: (manager: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    if (key === undefined) {
      return { ...(await this.transactions.run(work)), replayed: false };
    }
    const requestHash = sha256(canonicalJson(request)).toString('hex');
    const earlier = await this.repository.find(scope, key);
    if (earlier) {
      return this.replay<T>(earlier, requestHash);
    }
    try {
      return await this.transactions.run(async (manager) => {
        if (!(await this.repository.claim(scope, key, requestHash, manager))) {
          throw new KeyAlreadyClaimed();
        }
        const result = await work(manager);
        await this.repository.storeResponse(scope, key, result.status, result.body, manager);
        return { ...result, replayed: false };
      });
    } catch (error) {
      if (!(error instanceof KeyAlreadyClaimed)) {
        throw error;
      }
      const winner = await this.repository.find(scope, key);
      if (!winner) {
        throw new Error('idempotency key claimed by a transaction that left no row', {
          cause: error,
        });
      }
      return this.replay<T>(winner, requestHash);
    }
  }

  /**
   * Forgets keys older than the retention. A client retrying after that gets a new write, which is
   * why the retention is much longer than any sane retry window.
   */
  pruneOlderThan(before: Date): Promise<number> {
    return this.repository.deleteOlderThan(before);
  }

  private replay<T>(stored: IdempotencyKeyEntity, requestHash: string): IdempotentResult<T> {
    if (stored.requestHash !== requestHash) {
      throw new CommonError(
        CommonErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was already used for a different request.',
      );
    }
    return { status: stored.responseStatus, body: stored.responseBody as T, replayed: true };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(scope: string, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.dataSource.manager.findOneBy(IdempotencyKeyEntity, { scope, key });
  }

  /**
   * Claims the key inside the caller's transaction. A concurrent claim of the same key blocks on
   * the primary key until this transaction ends, then gets false if it committed.
   */
  async claim(
    scope: string,
    key: string,
    requestHash: string,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body)
       VALUES ($1, $2, $3, 0, 'null'::jsonb) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    );
    return rows.length === 1;
  }

  async storeResponse(
    scope: string,
    key: string,
    status: number,
    body: unknown,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(
      IdempotencyKeyEntity,
      { scope, key },
      { responseStatus: status, responseBody: body as object },
    );
  }

  /** Deletes keys older than `before`; returns how many. */
  async deleteOlderThan(before: Date): Promise<number> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .delete()
      .from(IdempotencyKeyEntity)
      .where('created_at < :before', { before })
      .execute();
    return result.affected ?? 0;
  }
}

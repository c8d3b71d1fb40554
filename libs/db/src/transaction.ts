import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Marks the async context of a transaction's work. `open` turns false when the transaction ends,
 * so a timer or callback scheduled inside it (which inherits the context) may use the pool later.
 */
interface TransactionScope {
  open: boolean;
  /** Run once the transaction has committed (not after a rollback), before `run` resolves. */
  readonly afterCommit: (() => void)[];
}

const transactionScope = new AsyncLocalStorage<TransactionScope>();

/**
 * Thrown when code running inside a transaction asks the pool for another connection. The
 * transaction already holds one connection (and usually row locks); waiting for a second one can
 * deadlock the whole pool: with N concurrent transactions on a pool of N, each waits for a
 * connection that another one holds. Every query inside a transaction must go through the
 * EntityManager the transaction hands out.
 */
export class PoolQueryInTransactionError extends Error {
  constructor() {
    super(
      'A query went to the connection pool from inside a transaction. Pass the transaction ' +
        'EntityManager to the repository method instead (see libs/db/src/transaction.ts).',
    );
    this.name = 'PoolQueryInTransactionError';
  }
}

/** True while the current async context is the work of an open transaction. */
export function isInsideTransaction(): boolean {
  return transactionScope.getStore()?.open === true;
}

/**
 * Schedules in-process work that must happen only if the current transaction commits, and before
 * its caller sees the result: e.g. dropping cached credentials a revocation just ended, so that
 * the next request of this process cannot use them. Must be called inside `TransactionRunner.run`.
 */
export function runAfterCommit(callback: () => void): void {
  const scope = transactionScope.getStore();
  if (!scope?.open) {
    throw new Error('runAfterCommit outside a transaction');
  }
  scope.afterCommit.push(callback);
}

interface ConnectionSource {
  obtainMasterConnection(): Promise<unknown>;
  obtainSlaveConnection(): Promise<unknown>;
}

const GUARDED = Symbol('gmdesk:pool-guard');

/**
 * Makes a pool query from inside a transaction fail at once instead of queueing for a connection.
 * Every pool query (DataSource.query, DataSource.manager, a repository without the transaction's
 * manager) obtains a fresh connection from the driver; a query through the transaction's manager
 * reuses the one its query runner already holds and never comes here. So the rule "inside a
 * transaction, every query goes through its manager" is enforced for every code path, not by
 * review: any test that exercises a violation fails with PoolQueryInTransactionError.
 */
export function guardPoolAgainstTransactionScope(dataSource: DataSource): DataSource {
  const driver = dataSource.driver as unknown as ConnectionSource & { [GUARDED]?: true };
  if (driver[GUARDED]) {
    return dataSource;
  }
  for (const method of ['obtainMasterConnection', 'obtainSlaveConnection'] as const) {
    const original = driver[method].bind(driver);
    driver[method] = () =>
      isInsideTransaction() ? Promise.reject(new PoolQueryInTransactionError()) : original();
  }
  driver[GUARDED] = true;
  return dataSource;
}

/**
 * Runs work in one transaction. Repositories take the EntityManager it hands out, so a domain
 * change and everything it implies (case score, audit entry, idempotency record, stream events)
 * commit together. The work runs in a transaction scope: a query that bypasses the manager and
 * asks the pool instead is refused (see guardPoolAgainstTransactionScope), and so is a nested
 * `run`, which would need a second connection too.
 */
@Injectable()
export class TransactionRunner {
  constructor(dataSource: DataSource) {
    this.dataSource = guardPoolAgainstTransactionScope(dataSource);
  }

  private readonly dataSource: DataSource;

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (isInsideTransaction()) {
      throw new PoolQueryInTransactionError();
    }
    const scope: TransactionScope = { open: true, afterCommit: [] };
    const result = await this.dataSource.transaction(async (manager) => {
      try {
        return await transactionScope.run(scope, () => work(manager));
      } finally {
        scope.open = false;
      }
    });
    for (const callback of scope.afterCommit) {
      callback();
    }
    return result;
  }
}

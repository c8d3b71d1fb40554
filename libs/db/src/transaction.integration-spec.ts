import { createTestDatabase, type TestDatabase } from '@gmdesk/testing';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import {
  isInsideTransaction,
  PoolQueryInTransactionError,
  runAfterCommit,
  TransactionRunner,
} from './transaction';

describe('TransactionRunner', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: TransactionRunner;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(
      dataSourceOptions({ url: database.url, entities: [], poolSize: 2, acquireTimeoutMs: 2000 }),
    ).initialize();
    sut = new TransactionRunner(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('runs every query of the work through the transaction it hands out', async () => {
    const backends = await sut.run(async (manager) => {
      const [first] = await manager.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      const [second] = await manager.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      return [first.pid, second.pid];
    });

    expect(backends[0]).toBe(backends[1]);
  });

  it('refuses a pool query made from inside a transaction, and rolls the transaction back', async () => {
    await dataSource.query('CREATE TABLE IF NOT EXISTS guard_probe (n int)');

    const attempt = sut.run(async (manager) => {
      await manager.query('INSERT INTO guard_probe VALUES (1)');
      await dataSource.query('SELECT 1');
    });

    await expect(attempt).rejects.toBeInstanceOf(PoolQueryInTransactionError);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM guard_probe')).toEqual([
      { n: 0 },
    ]);
  });

  it('refuses pool queries hidden behind other async work, such as a repository call in a callback', async () => {
    const viaManager = sut.run(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return Promise.all([dataSource.manager.query('SELECT 1')]);
    });

    await expect(viaManager).rejects.toBeInstanceOf(PoolQueryInTransactionError);
  });

  it('refuses a transaction nested in another, which would need a second connection too', async () => {
    const nested = sut.run(() => sut.run((inner) => inner.query('SELECT 1')));

    await expect(nested).rejects.toBeInstanceOf(PoolQueryInTransactionError);
  });

  it('does not deadlock a pool as large as the number of concurrent transactions', async () => {
    // Pool of 2, 10 transactions at once, each making a (refused) pool query: every one fails
    // fast with the guard's error instead of waiting for the acquire timeout.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        sut.run(async (manager) => {
          await manager.query('SELECT pg_sleep(0.01)');
          await dataSource.query('SELECT 1');
        }),
      ),
    );

    const outcomes = results.map((result) =>
      result.status === 'rejected' ? (result.reason as Error).name : 'fulfilled',
    );
    expect(outcomes).toEqual(new Array<string>(10).fill('PoolQueryInTransactionError'));
  });

  it('lets work scheduled inside a transaction use the pool once the transaction has ended', async () => {
    let later: Promise<unknown> | undefined;
    let release!: () => void;
    const ended = new Promise<void>((resolve) => (release = resolve));

    await sut.run(async (manager) => {
      later = ended.then(() => dataSource.query('SELECT 1 AS one'));
      await manager.query('SELECT 1');
    });
    expect(isInsideTransaction()).toBe(false);
    release();

    await expect(later).resolves.toEqual([{ one: 1 }]);
  });

  it('runs after-commit work once the transaction has committed, and never after a rollback', async () => {
    const ran: string[] = [];

    await sut.run(async (manager) => {
      runAfterCommit(() => ran.push(`committed, inside: ${isInsideTransaction()}`));
      await manager.query('SELECT 1');
      ran.push('work done');
    });
    await expect(
      sut.run(async (manager) => {
        runAfterCommit(() => ran.push('rolled back'));
        await manager.query('SELECT 1');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');

    expect(ran).toEqual(['work done', 'committed, inside: false']);
    expect(() => runAfterCommit(() => undefined)).toThrow('outside a transaction');
  });
});

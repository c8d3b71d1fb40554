import { streams } from '@gmdesk/contracts';
import { dataSourceOptions, SqlRunner } from '@gmdesk/db';
import { createTestDatabase, TestDatabase, withTimeout } from '@gmdesk/testing';
import { randomBytes } from 'node:crypto';
import { Client, type Notification } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { DeliveryService } from './delivery.service';
import { DELIVERY_CHANNEL, OutboxRepository } from './outbox.repository';

/** A transaction kept open on purpose: the test decides when it commits (or fails). */
interface OpenTransaction {
  /** Resolves once the work before the hold (its appends) has run. */
  readonly ready: Promise<void>;
  /** Lets the transaction go on to COMMIT; resolves once committed, rejects if that failed. */
  commit(): Promise<void>;
}

const uniqueStream = (name: string): string => `test:${name}:${randomBytes(4).toString('hex')}`;

/**
 * A stream that every staff-visible write appends to (DESIGN §4, issue 12): events get their seq
 * at COMMIT, so no transaction holds the shared counter across round trips, while every delivery
 * guarantee of a stream still holds.
 */
describe('shared streams: events numbered at commit', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: DeliveryService;
  const openClients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Without query logging: one test makes a COMMIT fail on purpose.
    dataSource = new DataSource({
      ...dataSourceOptions({ url: database.url, entities: [], poolSize: 30 }),
      logging: false,
    });
    await dataSource.initialize();
    sut = new DeliveryService(new OutboxRepository(dataSource, new SqlRunner(dataSource)));
  });

  afterAll(async () => {
    await Promise.all(openClients.map((client) => client.end()));
    await dataSource.destroy();
    await database.drop();
  });

  /** Runs `work`, then holds the transaction open until `commit()` is called. */
  const openTransaction = (work: (manager: EntityManager) => Promise<void>): OpenTransaction => {
    let markReady: () => void = () => undefined;
    let markFailed: (error: unknown) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const done = dataSource.transaction(async (manager) => {
      await work(manager).then(markReady, (error: unknown) => {
        markFailed(error);
        throw error;
      });
      await released;
    });
    done.catch(() => undefined);
    return {
      ready,
      commit: () => {
        release();
        return done;
      },
    };
  };

  const payloads = async (stream: string): Promise<[number, unknown][]> =>
    (await sut.readAfter(stream, 0)).map((event) => [event.seq, event.payload]);

  interface Listening {
    readonly client: Client;
    /** Every hint received so far for `stream`, in arrival order. */
    hintsFor(stream: string): string[];
    /** Resolves once `count` hints for `stream` have arrived. */
    until(stream: string, count: number): Promise<void>;
  }

  const listen = async (): Promise<Listening> => {
    const client = new Client({ connectionString: database.url });
    openClients.push(client);
    await client.connect();
    const hints: string[] = [];
    const waiters: (() => void)[] = [];
    client.on('notification', (message: Notification) => {
      hints.push(message.payload ?? '');
      waiters.splice(0).forEach((wake) => wake());
    });
    await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
    const hintsFor = (stream: string): string[] =>
      hints.filter((hint) => hint.endsWith(` ${stream}`));
    const until = async (stream: string, count: number): Promise<void> => {
      while (hintsFor(stream).length < count) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    return { client, hintsFor, until };
  };

  it('gives concurrent transactions consecutive seqs, and never lets a reader see a seq before a lower one', async () => {
    const stream = streams.staff();
    const total = 120;
    let writing = true;
    const snapshots: { count: number; max: number }[] = [];
    // A reader racing the writers: whatever it sees in one snapshot must be seqs 1..max, no holes
    // (a hole would be a later seq committed before an earlier one: a follower would skip it).
    const watcher = (async () => {
      while (writing) {
        const [row] = await dataSource.query<{ count: string; max: string }[]>(
          `SELECT count(*) AS count, coalesce(max(seq), 0) AS max FROM delivery_events WHERE stream = $1`,
          [stream],
        );
        snapshots.push({ count: Number(row?.count), max: Number(row?.max) });
      }
    })();

    // 20 at a time, each holding its transaction a little after appending, so commits overlap.
    const appendOne = (i: number): Promise<void> =>
      dataSource.transaction(async (manager) => {
        await sut.appendAtCommit(manager, stream, 'report.filed', { i });
        await manager.query('SELECT pg_sleep(random() * 0.003)');
      });
    try {
      for (let start = 0; start < total; start += 20) {
        await Promise.all(Array.from({ length: 20 }, (_unused, k) => appendOne(start + k)));
      }
    } finally {
      writing = false;
      await watcher;
    }

    const events = await sut.readAfter(stream, 0, 1000);
    expect(events.map((event) => event.seq)).toEqual(
      Array.from({ length: total }, (_unused, k) => k + 1),
    );
    expect(new Set(events.map((event) => (event.payload as { i: number }).i)).size).toBe(total);
    expect(snapshots.length).toBeGreaterThan(0);
    expect(snapshots.filter((snapshot) => snapshot.count !== snapshot.max)).toEqual([]);
    expect((await sut.streamState(stream)).lastSeq).toBe(total);
  });

  it('numbers transactions in the order they commit, not the order they wrote, keeping each one’s events together and in order', async () => {
    const stream = uniqueStream('order');
    const writer = (name: string): OpenTransaction =>
      openTransaction(async (manager) => {
        await sut.appendAtCommit(manager, stream, 'ticket.updated', { name, part: 1 });
        await sut.appendAtCommit(manager, stream, 'ticket.updated', { name, part: 2 });
      });
    const open: OpenTransaction[] = [];
    try {
      // first, second, third write in that order (each has both its events in before the next
      // starts), then commit as third, first, second.
      for (const name of ['first', 'second', 'third']) {
        const transaction = writer(name);
        open.push(transaction);
        await withTimeout(transaction.ready, 10_000, `the ${name} writer to append`);
      }
      const [first, second, third] = open as [OpenTransaction, OpenTransaction, OpenTransaction];
      await withTimeout(third.commit(), 10_000, 'the third writer to commit');
      await withTimeout(first.commit(), 10_000, 'the first writer to commit');
      await withTimeout(second.commit(), 10_000, 'the second writer to commit');
    } finally {
      await Promise.allSettled(open.map((transaction) => transaction.commit()));
    }

    expect(await payloads(stream)).toEqual([
      [1, { name: 'third', part: 1 }],
      [2, { name: 'third', part: 2 }],
      [3, { name: 'first', part: 1 }],
      [4, { name: 'first', part: 2 }],
      [5, { name: 'second', part: 1 }],
      [6, { name: 'second', part: 2 }],
    ]);
  });

  it('lets other writers append and commit while a transaction that appended holds its locks for a long time', async () => {
    const stream = streams.staff();
    const before = (await sut.streamState(stream)).lastSeq;
    const slow = openTransaction(async (manager) => {
      await sut.appendAtCommit(manager, stream, 'ticket.created', { who: 'slow' });
      await manager.query(`SELECT pg_advisory_xact_lock(77)`);
    });
    await slow.ready;
    try {
      for (let i = 0; i < 5; i += 1) {
        // With the counter row locked until the slow COMMIT, this would wait for it.
        await withTimeout(
          dataSource.transaction((manager) =>
            sut.appendAtCommit(manager, stream, 'ticket.created', { who: `fast-${i}` }),
          ),
          10_000,
          `fast writer ${i} to commit while the slow one is open`,
        );
      }
      const meanwhile = await sut.readAfter(stream, before);
      expect(meanwhile.map((event) => [event.seq, event.payload])).toEqual(
        Array.from({ length: 5 }, (_unused, i) => [before + i + 1, { who: `fast-${i}` }]),
      );
    } finally {
      await slow.commit();
    }
    expect((await sut.readAfter(stream, before + 5)).map((e) => [e.seq, e.payload])).toEqual([
      [before + 6, { who: 'slow' }],
    ]);
  });

  it('leaves no event, no NOTIFY and no gap when the transaction rolls back, or when its COMMIT fails after the seq was assigned', async () => {
    const stream = uniqueStream('rollback');
    const listening = await listen();
    await dataSource.transaction((manager) =>
      sut.appendAtCommit(manager, stream, 'ticket.created', { kept: 1 }),
    );

    await expect(
      dataSource.transaction(async (manager) => {
        await sut.appendAtCommit(manager, stream, 'ticket.created', { lost: 'rollback' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    // A COMMIT that fails late: the pending event's trigger has already run (it was queued first)
    // when a deferred unique check of the same transaction fails. Everything must roll back.
    await dataSource.query(
      `CREATE TABLE IF NOT EXISTS late_failure (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)`,
    );
    await expect(
      dataSource.transaction(async (manager) => {
        await sut.appendAtCommit(manager, stream, 'ticket.created', { lost: 'commit' });
        await manager.query(`INSERT INTO late_failure (id) VALUES (1), (1)`);
      }),
    ).rejects.toThrow(/duplicate key/);

    await dataSource.transaction((manager) =>
      sut.appendAtCommit(manager, stream, 'ticket.created', { kept: 2 }),
    );
    expect(await payloads(stream)).toEqual([
      [1, { kept: 1 }],
      [2, { kept: 2 }],
    ]);
    expect((await sut.streamState(stream)).lastSeq).toBe(2);
    const [pending] = await dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM delivery_pending WHERE stream = $1`,
      [stream],
    );
    expect(Number(pending?.n)).toBe(0);
    // NOTIFYs arrive in commit order: once the second kept event's hint is here, a hint of a
    // rolled-back transaction would have come before it.
    await withTimeout(listening.until(stream, 2), 10_000, 'the hints of the two committed events');
    expect(listening.hintsFor(stream)).toEqual([`1 ${stream}`, `2 ${stream}`]);
  });

  it('sends the NOTIFY only after COMMIT, one per event, when the event is already readable', async () => {
    const stream = uniqueStream('notify');
    const listening = await listen();
    const { client } = listening;
    const writer = openTransaction(async (manager) => {
      await sut.appendAtCommit(manager, stream, 'report.filed', { n: 1 });
      await sut.appendAtCommit(manager, stream, 'report.filed', { n: 2 });
    });
    await writer.ready;
    // A round trip on the listening connection delivers every notification queued so far.
    await client.query('SELECT 1');
    expect(listening.hintsFor(stream)).toEqual([]);
    expect(await sut.readAfter(stream, 0)).toEqual([]);

    const readableAtHint = new Promise<unknown>((resolve, reject) => {
      client.on('notification', (message: Notification) => {
        if (message.payload === `2 ${stream}`) {
          sut.readAfter(stream, 0).then((events) => resolve(events.map((e) => e.seq)), reject);
        }
      });
    });
    await writer.commit();
    expect(await withTimeout(readableAtHint, 10_000, 'the hint of the second event')).toEqual([
      1, 2,
    ]);
    expect(listening.hintsFor(stream)).toEqual([`1 ${stream}`, `2 ${stream}`]);
  });

  it('starts a stream that has no counter row yet at seq 1 when its first events come from concurrent commits', async () => {
    const stream = uniqueStream('fresh');
    await Promise.all(
      Array.from({ length: 8 }, (_unused, i) =>
        dataSource.transaction((manager) =>
          sut.appendAtCommit(manager, stream, 'ticket.created', { i }),
        ),
      ),
    );
    expect((await sut.readAfter(stream, 0)).map((event) => event.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('prunes events numbered at commit like any others, and tells a client behind the pruned history to re-sync', async () => {
    const stream = uniqueStream('pruned');
    for (let i = 1; i <= 3; i += 1) {
      await dataSource.transaction((manager) =>
        sut.appendAtCommit(manager, stream, 'ticket.updated', { i }),
      );
    }
    await dataSource.query(
      `UPDATE delivery_events SET created_at = now() - interval '2 days' WHERE stream = $1 AND seq <= 2`,
      [stream],
    );
    await sut.pruneOlderThan(new Date(Date.now() - 24 * 3600_000));
    const { state } = await sut.planResume(stream, { lastSeq: 0 });

    expect(state).toMatchObject({ lastSeq: 3, prunedThrough: 2 });
    expect((await sut.planResume(stream, { epoch: state.epoch, lastSeq: 1 })).plan).toEqual({
      kind: 'resync',
      reason: 'history_pruned',
    });
    expect(await payloads(stream)).toEqual([[3, { i: 3 }]]);
  });

  it('refuses to lock the shared staff stream in the middle of a transaction', async () => {
    await expect(
      dataSource.transaction((manager) => sut.append(manager, streams.staff(), 'report.filed', {})),
    ).rejects.toThrow(/shared stream/);
  });
});

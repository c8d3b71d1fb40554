import { streams } from '@gmdesk/contracts';
import { dataSourceOptions, SqlRunner } from '@gmdesk/db';
import { createTestDatabase, TestDatabase, withTimeout } from '@gmdesk/testing';
import { DataSource } from 'typeorm';
import { DeliveryListener } from './delivery-listener';
import { DeliveryService } from './delivery.service';
import { OutboxRepository } from './outbox.repository';

describe('durable delivery outbox', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: DeliveryService;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(
      dataSourceOptions({ url: database.url, entities: [], poolSize: 25 }),
    );
    await dataSource.initialize();
    sut = new DeliveryService(new OutboxRepository(dataSource, new SqlRunner(dataSource)));
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('numbers a stream 1, 2, 3 in commit order and keeps streams independent', async () => {
    const a = streams.player('eu', 'alice');
    const b = streams.player('eu', 'bob');
    for (const [stream, n] of [
      [a, 1],
      [b, 1],
      [a, 2],
    ] as const) {
      const appended = await dataSource.transaction((manager) =>
        sut.append(manager, stream, 'ticket.reply', { n }),
      );
      expect(appended.seq).toBe(n);
    }
    expect((await sut.readAfter(a, 0)).map((event) => [event.seq, event.payload])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
    ]);
  });

  it('writes nothing when the causing transaction rolls back', async () => {
    const stream = streams.player('eu', 'rollback');
    await expect(
      dataSource.transaction(async (manager) => {
        await sut.append(manager, stream, 'ticket.reply', { lost: true });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await sut.readAfter(stream, 0)).toEqual([]);
    const next = await dataSource.transaction((manager) =>
      sut.append(manager, stream, 'ticket.reply', {}),
    );
    expect(next.seq).toBe(1);
  });

  it('lets a reader that follows a stream under concurrent appends see every seq exactly once, none skipped', async () => {
    const stream = streams.staff();
    const total = 150;
    const seen: number[] = [];
    const gaps: string[] = [];
    let cursor = 0;
    let reading = Promise.resolve();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));

    // The reader only trusts the database: each hint triggers a read after its cursor.
    const catchUp = (): void => {
      reading = reading.then(async () => {
        for (const event of await sut.readAfter(stream, cursor)) {
          if (event.seq !== cursor + 1) {
            gaps.push(`expected ${cursor + 1}, got ${event.seq}`);
          }
          cursor = event.seq;
          seen.push(event.seq);
        }
        if (cursor >= total) {
          resolveDone();
        }
      });
    };
    const connected = new Promise<void>((resolve) => {
      const listener = new DeliveryListener(database.url, {
        onHint: (hint) => hint.stream === stream && catchUp(),
        onConnected: () => {
          catchUp();
          resolve();
        },
      });
      void listener.start();
      void done.then(() => listener.stop());
    });
    await connected;

    // 150 transactions, 15 at a time, each holding its transaction open a little while after
    // appending so that commits overlap: the counter row must still hand out seqs in commit order.
    const appendOne = (i: number): Promise<unknown> =>
      dataSource.transaction(async (manager) => {
        await sut.appendAtCommit(manager, stream, 'report.filed', { i });
        await manager.query('SELECT pg_sleep(random() * 0.004)');
      });
    for (let start = 0; start < total; start += 15) {
      await Promise.all(Array.from({ length: 15 }, (_unused, k) => appendOne(start + k)));
    }

    await withTimeout(done, 15_000, 'the reader to see all events');
    await reading;
    expect(gaps).toEqual([]);
    expect(seen).toEqual(Array.from({ length: total }, (_unused, k) => k + 1));
  });

  it('answers resume with a replay, or an explicit re-sync when the history is gone or foreign', async () => {
    const stream = streams.player('eu', 'carol');
    for (let i = 0; i < 3; i += 1) {
      await dataSource.transaction((manager) => sut.append(manager, stream, 'ticket.reply', { i }));
    }
    const { state } = await sut.planResume(stream, { lastSeq: 0 });
    expect((await sut.planResume(stream, { epoch: state.epoch, lastSeq: 1 })).plan).toEqual({
      kind: 'replay',
      afterSeq: 1,
    });
    expect((await sut.planResume(stream, { epoch: 'another', lastSeq: 1 })).plan).toEqual({
      kind: 'resync',
      reason: 'epoch_changed',
    });
    expect((await sut.planResume(stream, { epoch: state.epoch, lastSeq: 9 })).plan).toEqual({
      kind: 'resync',
      reason: 'ahead_of_server',
    });

    await dataSource.query(
      `UPDATE delivery_events SET created_at = now() - interval '2 days' WHERE stream = $1 AND seq <= 2`,
      [stream],
    );
    expect(await sut.pruneOlderThan(new Date(Date.now() - 24 * 3600_000))).toBeGreaterThanOrEqual(
      2,
    );
    expect((await sut.planResume(stream, { epoch: state.epoch, lastSeq: 1 })).plan).toEqual({
      kind: 'resync',
      reason: 'history_pruned',
    });
    expect((await sut.planResume(stream, { epoch: state.epoch, lastSeq: 2 })).plan).toEqual({
      kind: 'replay',
      afterSeq: 2,
    });
    expect((await sut.readAfter(stream, 2)).map((event) => event.seq)).toEqual([3]);
  });

  it('sends a fresh client of the shared staff stream to a REST snapshot, but replays a player’s own history', async () => {
    await dataSource.transaction((manager) =>
      sut.appendAtCommit(manager, streams.staff(), 'report.filed', {}),
    );
    expect((await sut.planResume(streams.staff(), { lastSeq: 0 })).plan).toEqual({
      kind: 'resync',
      reason: 'snapshot_required',
    });
    const player = streams.player('eu', 'dave');
    await dataSource.transaction((manager) => sut.append(manager, player, 'ticket.reply', {}));
    expect((await sut.planResume(player, { lastSeq: 0 })).plan).toEqual({
      kind: 'replay',
      afterSeq: 0,
    });
  });
});

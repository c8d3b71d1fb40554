/**
 * The shared staff stream as a serialisation point (issue 12), measured without HTTP: request-shaped
 * transactions that write one staff event and then do more work, each step behind a simulated
 * app↔database round trip, at several concurrencies. Three ways to write the event, in one run:
 *
 * - `in-transaction (old)`: the pre-issue-12 append (counter row advanced mid-transaction and held
 *   until COMMIT), kept here as SQL for comparison;
 * - `at commit`: DeliveryService.appendAtCommit, the way the staff stream is written now;
 * - `own streams`: every client appends to a stream of its own (the no-contention ceiling).
 *
 *   node -r @swc-node/register bench/staff-stream.bench.ts            # ~1 min
 *   DATABASE_URL=postgres://… node -r @swc-node/register bench/staff-stream.bench.ts
 *
 * Prints a table; asserts nothing. PostgreSQL comes from the jest global setup, as for the other
 * benches (embedded with fsync off, or DATABASE_URL).
 */
import { streams } from '@gmdesk/contracts';
import { dataSourceOptions, SqlRunner } from '@gmdesk/db';
import { DeliveryService } from '@gmdesk/delivery';
import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxRepository } from '../libs/delivery/src/outbox.repository';
import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { createTestDatabase } from '../libs/testing/src/test-database';

type Mode = 'in-transaction (old)' | 'at commit' | 'own streams';

const MODES: readonly Mode[] = ['in-transaction (old)', 'at commit', 'own streams'];
const CONCURRENCY = [1, 8, 32];
const LATENCY_MS = [0, 2];
/** Statements after the staff append, each preceded by one simulated round trip. */
const WORK_STATEMENTS = 3;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/** The append before issue 12: the counter row is locked from here until the caller's COMMIT. */
async function lockedAppend(manager: EntityManager, stream: string): Promise<void> {
  await manager.query(
    `WITH counter AS (
       INSERT INTO delivery_streams (stream, last_seq) VALUES ($1, 1)
       ON CONFLICT (stream) DO UPDATE SET last_seq = delivery_streams.last_seq + 1
       RETURNING epoch, last_seq
     ), stored AS (
       INSERT INTO delivery_events (stream, seq, event, payload)
       SELECT $1, last_seq, 'report.filed', $2::jsonb FROM counter
     )
     SELECT epoch, last_seq AS seq, pg_notify('gmdesk_delivery', last_seq || ' ' || $1) FROM counter`,
    [stream, JSON.stringify({ bench: true })],
  );
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

interface Row {
  mode: Mode;
  concurrency: number;
  latencyMs: number;
  tps: number;
  p50: number;
  p99: number;
  /** Time in the staff append plus the COMMIT: where a writer waits for the counter row. */
  staffMean: number;
  staffP99: number;
}

async function measure(
  dataSource: DataSource,
  delivery: DeliveryService,
  mode: Mode,
  concurrency: number,
  latencyMs: number,
): Promise<Row> {
  const totals: number[] = [];
  const staff: number[] = [];
  const roundTrip = (): Promise<unknown> => (latencyMs > 0 ? delay(latencyMs) : Promise.resolve());
  const deadline = Date.now() + SECONDS * 1000;
  const client = async (id: number): Promise<void> => {
    while (Date.now() < deadline) {
      const started = performance.now();
      let inStaff = 0;
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        const manager = runner.manager;
        const before = performance.now();
        if (mode === 'at commit') {
          await delivery.appendAtCommit(manager, streams.staff(), 'report.filed', { bench: true });
        } else {
          await lockedAppend(manager, mode === 'own streams' ? `bench:${id}` : streams.staff());
        }
        inStaff += performance.now() - before;
        for (let k = 0; k < WORK_STATEMENTS; k += 1) {
          await roundTrip();
          await manager.query(`INSERT INTO bench_staff_work (client) VALUES ($1)`, [id]);
        }
        await roundTrip();
        const committing = performance.now();
        await runner.commitTransaction();
        inStaff += performance.now() - committing;
      } finally {
        await runner.release();
      }
      totals.push(performance.now() - started);
      staff.push(inStaff);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_unused, id) => client(id)));
  const elapsed = (performance.now() - t0) / 1000;
  totals.sort((a, b) => a - b);
  staff.sort((a, b) => a - b);
  return {
    mode,
    concurrency,
    latencyMs,
    tps: totals.length / elapsed,
    p50: percentile(totals, 0.5),
    p99: percentile(totals, 0.99),
    staffMean: staff.reduce((sum, value) => sum + value, 0) / Math.max(1, staff.length),
    staffP99: percentile(staff, 0.99),
  };
}

async function main(): Promise<void> {
  await globalSetup();
  const database = await createTestDatabase();
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: database.url, entities: [], poolSize: Math.max(...CONCURRENCY) }),
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.query(
      `CREATE TABLE bench_staff_work (id bigserial PRIMARY KEY, client int NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    const delivery = new DeliveryService(
      new OutboxRepository(dataSource, new SqlRunner(dataSource)),
    );
    const [version] = await dataSource.query<{ server_version: string }[]>(`SHOW server_version`);
    const fmt = (n: number, digits = 2): string => n.toFixed(digits);
    process.stdout.write(
      `staff stream bench: PostgreSQL ${version?.server_version}, ${WORK_STATEMENTS} statements after the append, ${SECONDS} s per row, load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}\n\n`,
    );
    process.stdout.write(
      `mode                 | latency ms | c  | tx/s   | p50 ms  | p99 ms  | append+commit mean / p99 ms\n`,
    );
    process.stdout.write(
      `---------------------|------------|----|--------|---------|---------|----------------------------\n`,
    );
    for (const latencyMs of LATENCY_MS) {
      for (const concurrency of CONCURRENCY) {
        for (const mode of MODES) {
          const row = await measure(dataSource, delivery, mode, concurrency, latencyMs);
          process.stdout.write(
            `${mode.padEnd(20)} | ${String(latencyMs).padEnd(10)} | ${String(concurrency).padEnd(2)} | ${fmt(row.tps, 0).padEnd(6)} | ${fmt(row.p50).padEnd(7)} | ${fmt(row.p99).padEnd(7)} | ${fmt(row.staffMean)} / ${fmt(row.staffP99)}\n`,
          );
        }
      }
    }
    process.stdout.write(
      `\nload average at the end ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}\n`,
    );
  } finally {
    await dataSource.destroy();
    await database.drop();
    await tearDownHarness();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

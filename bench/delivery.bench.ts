/**
 * `npm run bench:delivery` — delivery latency and connection memory of the gateway, each figure
 * beside a raw socket.io baseline measured in the same run and layout (DESIGN §6). See
 * bench/README.md for what every number means.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { runBareLatency } from './lib/bare-latency';
import { ensureFdLimit, readFdLimit } from './lib/fd-limit';
import { runGmdeskLatency, type ReplySeries } from './lib/gmdesk-latency';
import type { LatencySummary } from './lib/histogram';
import { measureIdleMemory } from './lib/memory';
import {
  latencyTable,
  latencyTarget,
  memoryTable,
  memoryTarget,
  ratio,
  type LatencyRow,
  type MemoryRow,
} from './lib/report';
import { benchSettings, TARGETS } from './lib/settings';
import { seconds, withTimeout } from './lib/timing';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function versionOf(pkg: string): string {
  try {
    const manifest = readFileSync(require.resolve(`${pkg}/package.json`), 'utf8');
    return (JSON.parse(manifest) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const settings = benchSettings();
  const largest = Math.max(...settings.playerSizes);
  // Latency figures: client + server socket per player in this process; memory: clients here.
  const fdsNeeded =
    Math.max(2 * (largest + settings.staffSockets), settings.memoryConnections) + 1024;
  const fdProblem = ensureFdLimit(fdsNeeded);
  if (fdProblem) {
    process.stderr.write(`${fdProblem}\n`);
    process.exit(1);
  }

  const started = Date.now();
  let harnessUp = false;
  const abort = (why: string): void => {
    process.stderr.write(`\nbench aborted: ${why}\n`);
    const cleanup = harnessUp
      ? withTimeout(tearDownHarness(), 15_000, 'teardown')
      : Promise.resolve();
    void cleanup.catch(() => undefined).finally(() => process.exit(2));
  };
  setTimeout(
    () => abort(`over its ${settings.budgetMs / 60_000} min budget`),
    settings.budgetMs,
  ).unref();
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  const fd = readFdLimit();
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    kernel: release(),
    node: process.version,
    socketIo: versionOf('socket.io'),
    socketIoClient: versionOf('socket.io-client'),
    fdLimit: fd ? fd.soft : 'unknown',
  };
  log('gmdesk delivery bench');
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryMb} MB, Linux ${machine.kernel}, ` +
      `node ${machine.node}, socket.io ${machine.socketIo} / client ${machine.socketIoClient}, ` +
      `open files ${machine.fdLimit}`,
  );
  const database = process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL';
  log(
    `settings: ${settings.quick ? 'BENCH_QUICK ' : ''}players ${settings.playerSizes.join(', ')}; ` +
      `${settings.replies} replies and ${settings.reports} reports per series (+${settings.warmup} warm-up); ` +
      `${settings.staffSockets} staff sockets; ${settings.memoryConnections} idle connections; ` +
      `websocket transport, 127.0.0.1; tickets via TicketsService.openSupportTicket ` +
      `(${settings.ticketConcurrency} at a time); database: ${database}`,
  );

  log('\npreparing PostgreSQL and the migrated template database…');
  await globalSetup();
  harnessUp = true;
  log(`  ready (${seconds(started)})`);
  try {
    log('\n[1/4] baseline: bare socket.io, same process layout');
    const bare = await runBareLatency(settings, log);
    log('\n[2/4] gmdesk: api + gateway in process, PostgreSQL, real service path');
    const gmdesk = await runGmdeskLatency(settings, log);
    log('\n[3/4] memory: bare socket.io server in a child process');
    const bareMemory = await measureIdleMemory('bare', settings, log);
    log('\n[4/4] memory: gmdesk api + gateway in a child process');
    const gmdeskMemory = await measureIdleMemory('gmdesk', settings, log);

    const latencyRows: LatencyRow[] = [
      ...settings.playerSizes.map((size) => ({
        figure: 'staff reply → player ticket.reply',
        n: `${size} players`,
        measured: gmdesk.reply.get(size)!.latency,
        baseline: bare.unicast.get(size),
        targetP99Ms: size === largest ? TARGETS.replyP99Ms : undefined,
      })),
      {
        figure: `report filed → staff report.filed (all ${settings.staffSockets})`,
        n: `${settings.staffSockets} staff + ${largest} players`,
        measured: gmdesk.report.latency,
        baseline: bare.staff,
        targetP99Ms: TARGETS.reportP99Ms,
      },
      {
        figure: 'ref: PG txn + NOTIFY → LISTEN → SELECT (no socket)',
        n: `${largest} players`,
        measured: gmdesk.pgFloor,
      },
    ];
    const memoryRows: MemoryRow[] = [
      {
        figure: 'idle /player connection, RSS',
        connections: settings.memoryConnections,
        gmdeskKb: gmdeskMemory.perConnectionKb.rss,
        bareKb: bareMemory.perConnectionKb.rss,
        targetRatio: TARGETS.memoryRatio,
      },
      {
        figure: 'idle /player connection, JS heap used',
        connections: settings.memoryConnections,
        gmdeskKb: gmdeskMemory.perConnectionKb.heapUsed,
        bareKb: bareMemory.perConnectionKb.heapUsed,
      },
      {
        figure: 'idle /player connection, external',
        connections: settings.memoryConnections,
        gmdeskKb: gmdeskMemory.perConnectionKb.external,
        bareKb: bareMemory.perConnectionKb.external,
      },
    ];

    log(`\nresults (PostgreSQL ${gmdesk.postgresVersion}; total ${seconds(started)})\n`);
    log(latencyTable(latencyRows));
    log('');
    log(memoryTable(memoryRows));
    log('\nwhere the time goes (gmdesk), p50 / p99 ms:');
    const split = (label: string, series: ReplySeries): void => {
      const pair = (summary: LatencySummary): string =>
        `${summary.p50.toFixed(2)} / ${summary.p99.toFixed(2)}`;
      log(
        `  ${label}: start → NOTIFY seen (≈ commit) ${pair(series.untilNotify)}; ` +
          `NOTIFY → client receipt ${pair(series.afterNotify)}; ` +
          `service call returned ${pair(series.commitCall)} ` +
          `(receipt came first in ${(series.receivedBeforeCallReturned * 100).toFixed(0)}%)`,
      );
    };
    for (const size of settings.playerSizes) {
      split(`reply, ${size} players`, gmdesk.reply.get(size)!);
    }
    split('report', gmdesk.report);
    log(
      `  a fresh /staff socket's first resume replayed ${gmdesk.setup.staffEventsReplayed} staff-stream ` +
        `events (all staff sockets together)`,
    );
    log(
      '  the gmdesk figures include a PostgreSQL transaction + NOTIFY + stream read; the baselines ' +
        'do not (the "ref" row is a minimal such round trip without sockets).',
    );

    const results = {
      bench: 'delivery',
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      machine,
      postgres: { version: gmdesk.postgresVersion, source: database },
      settings,
      latency: latencyRows.map((row) => ({
        ...row,
        ratioP99: ratio(row.measured.p99, row.baseline?.p99) ?? null,
        target: latencyTarget(row),
      })),
      memory: memoryRows.map((row) => ({
        ...row,
        ratio: ratio(row.gmdeskKb, row.bareKb) ?? null,
        target: memoryTarget(row),
      })),
      detail: {
        reply: Object.fromEntries(gmdesk.reply),
        report: gmdesk.report,
        pgFloor: gmdesk.pgFloor,
        bareUnicast: Object.fromEntries(bare.unicast),
        bareStaff: bare.staff,
        memory: { bare: bareMemory, gmdesk: gmdeskMemory },
        setup: gmdesk.setup,
      },
    };
    const folder = join(__dirname, 'results');
    mkdirSync(folder, { recursive: true });
    const file = join(
      folder,
      `delivery-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwritten: ${file}`);
  } finally {
    harnessUp = false;
    await withTimeout(tearDownHarness(), 30_000, 'PostgreSQL to stop');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    void withTimeout(tearDownHarness(), 15_000, 'teardown')
      .catch(() => undefined)
      .finally(() => process.exit(1));
  },
);

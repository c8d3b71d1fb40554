/**
 * `npm run bench:intake` — what one request costs: reports, tickets and staff replies written,
 * the staff queue page and a ticket view read, at several concurrencies, each beside a bare
 * `node:http` + `pg` endpoint doing the same database work and pgbench's single-row inserts, all
 * in the same run. gmdesk runs as its own OS process (the built api entry), so the load generator
 * (autocannon, in this process) never shares its event loop. See bench/README.md.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { createTestDatabase, type TestDatabase } from '../libs/testing/src/test-database';
import { startBareProcess, type BareProcess } from './lib/intake/bare-process';
import { captureBareQueries, type BareQueries } from './lib/intake/bare-queries';
import { postmasterOf, procCpuAvailable } from './lib/intake/cpu';
import {
  buildApp,
  freePort,
  GmdeskProcess,
  randomSecret,
  REPO_ROOT,
} from './lib/intake/gmdesk-process';
import { runLoad, type LoadTarget, type RequestParams } from './lib/intake/load';
import { findPgbench, runPgbench } from './lib/intake/pgbench';
import { formatProfileSummary, summarizeProfile } from './lib/intake/profile';
import {
  compare,
  comparisonTable,
  errorText,
  label,
  runsTable,
  type Measurement,
} from './lib/intake/report';
import { seedDatabase, type SeededData } from './lib/intake/seed';
import {
  INTAKE_TARGETS,
  intakeSettings,
  WORKLOADS,
  WRITE_WORKLOADS,
  type IntakeSettings,
  type WorkloadName,
} from './lib/intake/settings';
import {
  bareRequests,
  BASELINE_OF,
  gmdeskRequests,
  loginStaff,
  signPlayerTokens,
  type BareEndpoint,
  type WorkloadInputs,
} from './lib/intake/workloads';
import { seconds, withTimeout } from './lib/timing';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const RESULTS = join(__dirname, 'results');
const PROFILES = join(RESULTS, 'profiles');
/** Kept free at the end of the budget for stopping processes and dropping the database. */
const CLEANUP_RESERVE_MS = 45_000;

/** Everything the bench started, so every exit path can stop and drop it. */
interface Started {
  gmdesk?: GmdeskProcess;
  bare?: BareProcess;
  database?: TestDatabase;
  harness: boolean;
}

async function cleanUp(started: Started): Promise<void> {
  const step = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    await withTimeout(work(), 30_000, what).catch((error: unknown) =>
      process.stderr.write(`cleanup: ${what}: ${String(error)}\n`),
    );
  };
  const { gmdesk, bare, database } = started;
  started.gmdesk = undefined;
  started.bare = undefined;
  started.database = undefined;
  if (gmdesk) {
    await step('stopping gmdesk', () => gmdesk.stop());
  }
  if (bare) {
    await step('stopping the bare server', () => bare.child.stop());
  }
  if (database) {
    await step('dropping the bench database', () => database.drop());
  }
  if (started.harness) {
    started.harness = false;
    await step('stopping PostgreSQL', () => tearDownHarness());
  }
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

function describeSettings(settings: IntakeSettings, database: string): string {
  return (
    `settings: ${settings.quick ? 'BENCH_QUICK ' : ''}clients ${settings.concurrency.join(', ')}; ` +
    `${settings.warmupSeconds} s warm-up + ${settings.measureSeconds} s measured per run; ` +
    `${settings.tickets.toLocaleString('en-US')} tickets seeded; ${settings.reporters} reporters → ` +
    `${settings.targets} targets; ${settings.staff} agents; pool ${settings.poolSize} (gmdesk and bare); ` +
    `gmdesk entry: ${settings.app}; database: ${database}`
  );
}

async function main(): Promise<void> {
  const settings = intakeSettings();
  const started = Date.now();
  const deadline = started + settings.budgetMs;
  const state: Started = { harness: false };
  const abort = (why: string): void => {
    process.stderr.write(`\nbench aborted: ${why}\n`);
    void cleanUp(state).finally(() => process.exit(2));
  };
  setTimeout(
    () => abort(`over its ${settings.budgetMs / 60_000} min budget`),
    settings.budgetMs,
  ).unref();
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    kernel: release(),
    node: process.version,
  };
  const loadAtStart = loadavg();
  const database = process.env.DATABASE_URL
    ? 'DATABASE_URL (PostgreSQL CPU counts every process of that cluster, others’ work included)'
    : 'embedded PostgreSQL (throw-away cluster: fsync, synchronous_commit, full_page_writes off)';
  log(`gmdesk intake bench${settings.profile ? ` — profile of ${settings.profile.workload}` : ''}`);
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryMb} MB, Linux ${machine.kernel}, ` +
      `node ${machine.node}; load average ${load()}`,
  );
  log(describeSettings(settings, database));
  if (!procCpuAvailable()) {
    log('note: /proc is not readable here; CPU per request is not measured');
  }
  const pgbench = settings.profile ? undefined : findPgbench();
  if (!settings.profile && !pgbench) {
    log(
      'note: pgbench not found (install postgresql-client or set BENCH_PGBENCH); its rows are skipped',
    );
  }

  try {
    if (settings.skipBuild) {
      log('\nBENCH_SKIP_BUILD: using the existing dist/ build');
    } else {
      log(`\nbuilding gmdesk (nest build ${settings.app})…`);
      const buildStarted = Date.now();
      await buildApp(settings.app, 5 * 60_000);
      log(`  built (${seconds(buildStarted)})`);
    }

    log('preparing PostgreSQL and the migrated template database…');
    await globalSetup();
    state.harness = true;
    const db = await createTestDatabase();
    state.database = db;
    const client = new Client({ connectionString: db.url });
    await client.connect();
    let seeded: SeededData;
    let postmasterPid: number | undefined;
    let postgresVersion: string;
    try {
      log(`seeding ${settings.tickets.toLocaleString('en-US')} tickets with SQL…`);
      seeded = await seedDatabase(client, settings);
      log(
        `  ${Object.entries(seeded.counts)
          .map(([table, rows]) => `${table} ${rows.toLocaleString('en-US')}`)
          .join(', ')} (${seeded.seconds.toFixed(1)} s)`,
      );
      const backend = await client.query<{ pid: number; version: string }>(
        `SELECT pg_backend_pid() AS pid, current_setting('server_version') AS version`,
      );
      postgresVersion = backend.rows[0].version;
      postmasterPid = postmasterOf(backend.rows[0].pid);
    } finally {
      await client.end();
    }
    if (postmasterPid === undefined) {
      log('note: the PostgreSQL processes are not visible in /proc; PG CPU is not measured');
    }

    const playerTokens = await signPlayerTokens(seeded, settings);
    state.gmdesk = await GmdeskProcess.start({
      app: settings.app,
      databaseUrl: db.url,
      port: await freePort(),
      poolSize: settings.poolSize,
      jwtSecret: randomSecret(),
      ...(settings.profile && { cpuProfileDir: PROFILES }),
    });
    const gmdesk = state.gmdesk;
    log(`gmdesk ${settings.app} is up (pid ${gmdesk.pid}, ${gmdesk.url})`);
    const inputs: WorkloadInputs = {
      playerTokens,
      staffTokens: await loginStaff(gmdesk.url, seeded),
      replyTicketIds: seeded.replyTicketIds,
      viewTicketIds: seeded.viewTicketIds,
      targets: settings.targets,
    };
    const gmdeskTarget: LoadTarget = {
      url: gmdesk.url,
      pid: gmdesk.pid,
      statementCount: () => gmdesk.statementCount(),
    };
    const gmdeskNext = gmdeskRequests(inputs);
    const skipped: string[] = [];
    /** Monotonic µs (process.hrtime, the clock of V8's profiles) around the last measured window. */
    let lastWindow = { startUs: 0, endUs: 0 };

    const measure = async (
      server: 'gmdesk' | 'bare',
      workload: WorkloadName | BareEndpoint,
      concurrency: number,
      target: LoadTarget,
      next: () => RequestParams,
      measureSeconds = settings.measureSeconds,
    ): Promise<Measurement | undefined> => {
      const name = `${server} ${workload} c=${concurrency}`;
      if (
        Date.now() + (settings.warmupSeconds + measureSeconds + 10) * 1000 >
        deadline - CLEANUP_RESERVE_MS
      ) {
        skipped.push(name);
        log(`  ${name}: skipped (the budget is spent)`);
        return undefined;
      }
      const result = await runLoad({
        target,
        connections: concurrency,
        warmupSeconds: settings.warmupSeconds,
        seconds: measureSeconds,
        timeoutSeconds: settings.requestTimeoutSeconds,
        next,
        postmasterPid,
      });
      lastWindow = result.window;
      for (const child of [state.gmdesk?.child, state.bare?.child]) {
        if (child && !child.running) {
          throw new Error(`${child.name} exited during ${name}:\n${child.output.text()}`);
        }
      }
      const measurement: Measurement = {
        server,
        workload,
        concurrency,
        seconds: result.seconds,
        responses: result.responses,
        rps: result.rps,
        errors: result.errors,
        latency: result.latency,
        nodeCpuMsPerRequest: result.nodeCpuMsPerRequest,
        nodeSystemCpuMsPerRequest: result.nodeSystemCpuMsPerRequest,
        pgCpuMsPerRequest: result.pgCpuMsPerRequest,
        statementsPerRequest: result.statementsPerRequest,
        generatorCpuMsPerRequest: result.generatorCpuMsPerRequest,
        statuses: result.statuses,
        errorSamples: result.errorSamples,
        failures: result.failures,
      };
      const cpu = (value: number | undefined): string =>
        value === undefined ? '—' : value.toFixed(3);
      log(
        `  ${name}: ${Math.round(result.rps)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, ` +
          `p99 ${result.latency.p99.toFixed(2)} ms, errors ${errorText(measurement)}, ` +
          `node ${cpu(result.nodeCpuMsPerRequest)} ms/req, PG ${cpu(result.pgCpuMsPerRequest)} ms/req` +
          (result.statementsPerRequest === undefined
            ? ''
            : `, ${result.statementsPerRequest.toFixed(1)} SQL statements/req`),
      );
      return measurement;
    };

    if (settings.profile) {
      // gmdesk runs with --cpu-prof: one warm-up and one longer measured run, then it exits (V8
      // writes the profile on exit) and only the samples of the measured window are summarised.
      const { workload, concurrency } = settings.profile;
      const measureSeconds = Math.max(10, settings.measureSeconds * 2);
      log(`\nprofiling gmdesk on ${workload} at c=${concurrency} (${measureSeconds} s measured)…`);
      const measurement = await measure(
        'gmdesk',
        workload,
        concurrency,
        gmdeskTarget,
        gmdeskNext[workload],
        measureSeconds,
      );
      await state.gmdesk.stop();
      state.gmdesk = undefined;
      const profile = newestProfile(started);
      const window = { ...lastWindow };
      const perRequest = (value: number | undefined): number | undefined =>
        measurement && value !== undefined ? value * measurement.responses : undefined;
      const processCpu = {
        totalMs: perRequest(measurement?.nodeCpuMsPerRequest),
        systemMs: perRequest(measurement?.nodeSystemCpuMsPerRequest),
      };
      writeFileSync(`${profile}.window.json`, `${JSON.stringify({ ...window, processCpu })}\n`);
      const summary = summarizeProfile(profile, window);
      log(`\n${formatProfileSummary(summary, 15, processCpu)}`);
      log(`\nprofile: ${profile} (open it in Chrome DevTools → Performance, or speedscope)`);
      log(
        `summary again: npm run bench:profile-summary -- ${profile.replace(`${REPO_ROOT}/`, '')}`,
      );
      const file = join(RESULTS, `intake-profile-${stamp(started)}.json`);
      writeFileSync(
        file,
        `${JSON.stringify({ bench: 'intake-profile', startedAt: new Date(started).toISOString(), machine, loadAverage: { start: loadAtStart, end: loadavg() }, settings, measurement, profile, summary }, null, 2)}\n`,
      );
      log(`written: ${file}`);
      return;
    }

    const queries: BareQueries = await captureBareQueries(
      gmdesk,
      inputs.staffTokens[0],
      seeded.viewTicketIds[0],
    );
    for (const [name, query] of Object.entries(queries)) {
      if (query.source === 'fallback') {
        log(
          `note: no ${name} statement captured from gmdesk; the bare server runs a hand-written one`,
        );
      }
    }
    state.bare = await startBareProcess({
      databaseUrl: db.url,
      poolSize: settings.poolSize,
      queries,
    });
    const bare = state.bare;
    const bareTarget: LoadTarget = { url: bare.url, pid: bare.pid };
    const bareNext = bareRequests(inputs);
    log(`bare server is up (pid ${bare.pid}, ${bare.url})`);

    const measurements: Measurement[] = [];
    const keep = (measurement: Measurement | undefined): void => {
      if (measurement) {
        measurements.push(measurement);
      }
    };
    // BENCH_ONLY=tickets,ticket-view: a subset, to iterate on one path (the targets table then
    // covers only those).
    const only = (process.env.BENCH_ONLY ?? '').split(',').filter((name) => name.length > 0);
    const selected = (workload: WorkloadName): boolean =>
      only.length === 0 || only.includes(workload);
    const reads = WORKLOADS.filter(
      (workload) => !WRITE_WORKLOADS.includes(workload) && selected(workload),
    );
    const writes = WRITE_WORKLOADS.filter(selected);
    // Reads first, on the seeded database alone; then the writes, which add rows.
    log('\nreads:');
    for (const concurrency of settings.concurrency) {
      for (const workload of reads) {
        keep(await measure('gmdesk', workload, concurrency, gmdeskTarget, gmdeskNext[workload]));
        const endpoint = BASELINE_OF[workload];
        keep(await measure('bare', endpoint, concurrency, bareTarget, bareNext[endpoint]));
      }
    }
    log('\nwrites:');
    for (const concurrency of writes.length > 0 ? settings.concurrency : []) {
      keep(await measure('bare', 'insert', concurrency, bareTarget, bareNext.insert));
      for (const workload of writes) {
        keep(await measure('gmdesk', workload, concurrency, gmdeskTarget, gmdeskNext[workload]));
      }
      if (pgbench) {
        if (Date.now() + (settings.measureSeconds + 10) * 1000 > deadline - CLEANUP_RESERVE_MS) {
          skipped.push(`pgbench c=${concurrency}`);
          continue;
        }
        const result = await runPgbench({
          command: pgbench.command,
          databaseUrl: db.url,
          clients: concurrency,
          seconds: settings.measureSeconds,
          postmasterPid,
        });
        keep({
          server: 'pgbench',
          workload: 'insert',
          concurrency,
          seconds: result.seconds,
          responses: result.transactions,
          rps: result.tps,
          errors: result.failed,
          latency: result.latency,
          pgCpuMsPerRequest: result.pgCpuMsPerRequest,
        });
        log(
          `  pgbench insert c=${concurrency}: ${Math.round(result.tps)} tps, ` +
            `p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms`,
        );
      }
    }

    const gmdeskLog = gmdesk.child.output;
    await cleanUp({ gmdesk: state.gmdesk, bare: state.bare, harness: false });
    state.gmdesk = undefined;
    state.bare = undefined;

    const comparisons = compare(measurements, BASELINE_OF);
    const loadAtEnd = loadavg();
    log(
      `\nresults (PostgreSQL ${postgresVersion}; load average at start ${loadAtStart
        .map((v) => v.toFixed(2))
        .join(', ')}, at end ${load()}; total ${seconds(started)})\n`,
    );
    log(runsTable(measurements));
    log('');
    log(comparisonTable(comparisons));
    const atTarget = comparisons.filter((c) => c.target);
    log(`\ntargets of issue 12 at ${INTAKE_TARGETS.concurrency} clients:`);
    for (const c of atTarget) {
      log(`  ${c.target!.pass ? 'PASS' : 'FAIL'}  ${c.workload}: ${c.target!.text}`);
    }
    if (atTarget.length === 0) {
      log(`  (not measured: no run at ${INTAKE_TARGETS.concurrency} clients)`);
    }
    const failing = measurements.filter((m) => m.errors > 0);
    if (failing.length > 0) {
      log('\nerrors (first body of each status):');
      for (const m of failing) {
        log(`  ${label(m)} c=${m.concurrency}: ${errorText(m)}`);
        for (const [status, body] of Object.entries(m.errorSamples ?? {})) {
          log(`    ${status}: ${body}`);
        }
      }
    }
    if (gmdeskLog.total > 0) {
      log(
        `\ngmdesk's own output (${gmdeskLog.total} lines, LOG_LEVEL=warn), the last lines:\n${gmdeskLog.text()}`,
      );
    }
    if (skipped.length > 0) {
      log(`\nskipped (budget): ${skipped.join(', ')}`);
    }
    const bareSql = Object.entries(queries)
      .map(([name, query]) => `  ${name} (${query.source}): ${query.text.replace(/\s+/g, ' ')}`)
      .join('\n');
    log(`\nthe bare server's read queries:\n${bareSql}`);

    const results = {
      bench: 'intake',
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      machine,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      postgres: { version: postgresVersion, source: database, pgbench: pgbench?.version ?? null },
      settings,
      targets: INTAKE_TARGETS,
      seeded: { counts: seeded.counts, seconds: seeded.seconds },
      bareQueries: queries,
      measurements,
      comparisons: comparisons.map((c) => ({
        workload: c.workload,
        concurrency: c.concurrency,
        gmdeskRps: c.gmdesk.rps,
        bareRps: c.bare?.rps ?? null,
        ratio: c.ratio ?? null,
        target: c.target ?? null,
      })),
      skipped,
      gmdeskLogTail: gmdeskLog.text(),
    };
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `intake-${stamp(started)}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwritten: ${file}`);
  } finally {
    await cleanUp(state);
  }
}

/** The .cpuprofile gmdesk wrote on exit (the newest one since the bench started). */
function newestProfile(since: number): string {
  const profile = readdirSync(PROFILES)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(PROFILES, name))
    .filter((file) => statSync(file).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!profile) {
    throw new Error(`gmdesk wrote no .cpuprofile into ${PROFILES}`);
  }
  return profile;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

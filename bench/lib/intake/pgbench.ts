import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyRecorder, type LatencySummary } from '../histogram';
import { withTimeout } from '../timing';
import { BenchChild } from './child-process';
import { clusterCpu, clusterCpuDelta, type ClusterCpu } from './cpu';
import { BARE_WRITE_TABLE } from './seed';

export interface PgbenchResult {
  readonly clients: number;
  readonly seconds: number;
  readonly tps: number;
  readonly failed: number;
  readonly latency: LatencySummary;
  readonly pgCpuMsPerRequest?: number;
  readonly transactions: number;
}

/** `pgbench` on PATH, or BENCH_PGBENCH; undefined when neither runs. */
export function findPgbench(): { command: string; version: string } | undefined {
  const command = process.env.BENCH_PGBENCH ?? 'pgbench';
  try {
    const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    return result.status === 0 ? { command, version: result.stdout.trim() } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The database's own ceiling for single-row inserts: pgbench with one INSERT per transaction
 * (autocommit) into the bare endpoint's table, prepared statements, `clients` connections, as
 * many threads as cores. Latency per transaction comes from pgbench's per-transaction log.
 */
export async function runPgbench(options: {
  command: string;
  databaseUrl: string;
  clients: number;
  seconds: number;
  postmasterPid?: number;
}): Promise<PgbenchResult> {
  const folder = mkdtempSync(join(tmpdir(), 'gmdesk-pgbench-'));
  try {
    const script = join(folder, 'insert.sql');
    writeFileSync(
      script,
      [
        '\\set n random(1, 1000000)',
        `INSERT INTO ${BARE_WRITE_TABLE} (realm_id, reporter, reported, category, description, occurred_at, location) ` +
          `VALUES ('bench', 'pgbench', 'wt' || :n, 'cheating', ` +
          `'Kept teleporting around the boss and one-shotting the whole raid, then laughed about it in /say.', ` +
          `now() - interval '1 minute', '{"zone": "Molten Core"}');`,
        '',
      ].join('\n'),
    );
    const threads = Math.max(1, Math.min(options.clients, cpus().length));
    // pgbench's backends exit with it, taking their CPU counters along: read the cluster's CPU
    // while it runs, and count only the transactions that finished between two of those readings.
    const readings: { at: number; cpu: ClusterCpu }[] = [];
    const postmasterPid = options.postmasterPid;
    const poll =
      postmasterPid === undefined
        ? undefined
        : setInterval(() => readings.push({ at: Date.now(), cpu: clusterCpu(postmasterPid) }), 500);
    const startedAt = Date.now();
    const child = BenchChild.spawn(
      'pgbench',
      options.command,
      [
        '--no-vacuum',
        '--protocol=prepared',
        `--client=${options.clients}`,
        `--jobs=${threads}`,
        `--time=${options.seconds}`,
        `--file=${script}`,
        '--log',
        `--log-prefix=${join(folder, 'log')}`,
        options.databaseUrl,
      ],
      { cwd: folder, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    const code = await withTimeout(child.exited, (options.seconds + 60) * 1000, 'pgbench')
      .catch(async (error: unknown) => {
        await child.stop(2_000);
        throw error;
      })
      .finally(() => clearInterval(poll));
    const output = child.output.text();
    if (code !== 0) {
      throw new Error(`pgbench failed (exit ${code}):\n${output}`);
    }
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    const processed = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]);

    // The CPU window: from the first reading a second in (connections made) to the last one.
    const first = readings.find((reading) => reading.at >= startedAt + 1_000);
    const last = readings.at(-1);
    const window = first && last && last.at > first.at ? { first, last } : undefined;

    // Log lines: client_id transaction_no latency_us script_no epoch_s epoch_us_fraction
    const recorder = new LatencyRecorder();
    let inWindow = 0;
    for (const file of readdirSync(folder).filter((name) => name.startsWith('log'))) {
      for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
        const fields = line.split(' ');
        const micros = Number(fields[2]);
        if (!line || !Number.isFinite(micros)) {
          continue;
        }
        recorder.record(micros / 1000);
        const finishedAt = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
        if (window && finishedAt >= window.first.at && finishedAt <= window.last.at) {
          inWindow += 1;
        }
      }
    }
    return {
      clients: options.clients,
      seconds: options.seconds,
      tps,
      failed,
      transactions: processed,
      latency: recorder.summary(),
      ...(window &&
        window.first.cpu.size > 0 &&
        inWindow > 0 && {
          pgCpuMsPerRequest: clusterCpuDelta(window.first.cpu, window.last.cpu) / inWindow,
        }),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

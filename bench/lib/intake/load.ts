import autocannon from 'autocannon';
import { LatencyRecorder, type LatencySummary } from '../histogram';
import { sleep, withTimeout } from '../timing';
import { clusterCpu, clusterCpuDelta, processCpu, type ClusterCpu } from './cpu';

export type RequestParams = autocannon.RequestParams;

/** The server under load: its base URL, its process (for CPU) and, for gmdesk, its statement count. */
export interface LoadTarget {
  readonly url: string;
  readonly pid: number;
  readonly statementCount?: () => Promise<number>;
}

export interface LoadRun {
  readonly target: LoadTarget;
  readonly connections: number;
  /** Load before the measured window, on the same connections (not recorded). */
  readonly warmupSeconds: number;
  /** The measured window. */
  readonly seconds: number;
  readonly timeoutSeconds: number;
  /** Builds the next request; called once per request, so bodies and tokens can differ each time. */
  readonly next: () => RequestParams;
  /** The PostgreSQL cluster's postmaster, for its CPU; undefined when /proc cannot see it. */
  readonly postmasterPid?: number;
}

export interface LoadResult {
  readonly connections: number;
  /** Length of the measured window. */
  readonly seconds: number;
  /** Responses received in the window (any status). */
  readonly responses: number;
  /** 2xx responses per second: the throughput figure. */
  readonly rps: number;
  /** Non-2xx responses plus requests that failed or timed out without a response. */
  readonly errors: number;
  /** Latency of every response in the window (any status), ms. */
  readonly latency: LatencySummary;
  readonly statuses: Readonly<Record<string, number>>;
  /** The first body of each non-2xx status, cut to 300 characters. */
  readonly errorSamples: Readonly<Record<string, string>>;
  /** Requests without a response, by error message (timeouts, resets). */
  readonly failures: Readonly<Record<string, number>>;
  /** The server process's CPU (user + system) per response, ms. */
  readonly nodeCpuMsPerRequest?: number;
  /** The part of it spent in the kernel (system time). */
  readonly nodeSystemCpuMsPerRequest?: number;
  /** All PostgreSQL processes' CPU per response, ms. */
  readonly pgCpuMsPerRequest?: number;
  /** SQL statements gmdesk sent per response (BEGIN/COMMIT included). */
  readonly statementsPerRequest?: number;
  /** The load generator's own CPU per response (the bench process), ms. */
  readonly generatorCpuMsPerRequest: number;
  /** Monotonic µs (process.hrtime) at the start and end of the window. */
  readonly window: { readonly startUs: number; readonly endUs: number };
}

interface Snapshot {
  readonly at: bigint;
  readonly node?: { readonly totalMs: number; readonly systemMs: number };
  readonly pg?: ClusterCpu;
  readonly generator: NodeJS.CpuUsage;
  readonly statements: Promise<number | undefined>;
}

/**
 * One autocannon run against `run.target`: warm-up, then a measured window on the same
 * connections. Counters (CPU, statements, responses) are read at the start and at the end of the
 * window while the load is steady, so the requests in flight at either edge cancel out; the run is
 * stopped right after the window.
 */
export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const recorder = new LatencyRecorder();
  const statuses: Record<string, number> = {};
  const errorSamples: Record<string, string> = {};
  const failures: Record<string, number> = {};
  let measuring = false;
  let responses = 0;
  let ok = 0;
  let failed = 0;

  const snapshot = (): Snapshot => ({
    at: process.hrtime.bigint(),
    node: processCpu(run.target.pid),
    pg: run.postmasterPid === undefined ? undefined : clusterCpu(run.postmasterPid),
    generator: process.cpuUsage(),
    statements: run.target.statementCount?.() ?? Promise.resolve(undefined),
  });

  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: run.target.url,
        connections: run.connections,
        // An upper bound only: the run is stopped right after the window.
        duration: run.warmupSeconds + run.seconds + 30,
        timeout: run.timeoutSeconds,
        pipelining: 1,
        requests: [
          {
            setupRequest: () => run.next(),
            onResponse: (status, body) => {
              if (measuring && (status < 200 || status > 299) && !(status in errorSamples)) {
                errorSamples[status] = body.slice(0, 300);
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (!measuring) {
        return;
      }
      responses += 1;
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode <= 299) {
        ok += 1;
      }
      recorder.record(responseTimeMs);
    });
    instance.on('reqError', (error) => {
      if (measuring) {
        failed += 1;
        failures[error.message] = (failures[error.message] ?? 0) + 1;
      }
    });
  });
  finished.catch(() => undefined); // awaited below; a rejection before then must not go unhandled

  let start: Snapshot;
  let end: Snapshot;
  try {
    await sleep(run.warmupSeconds * 1000);
    start = snapshot();
    measuring = true;
    await sleep(run.seconds * 1000);
    end = snapshot();
    measuring = false;
  } finally {
    instance?.stop();
  }
  await withTimeout(finished, (run.timeoutSeconds + 30) * 1000, 'autocannon to stop');
  const [statementsBefore, statementsAfter] = await Promise.all([start.statements, end.statements]);

  const seconds = Number(end.at - start.at) / 1e9;
  const perResponse = (total: number | undefined): number | undefined =>
    total === undefined || responses === 0 ? undefined : total / responses;
  const generatorMs =
    (end.generator.user - start.generator.user + end.generator.system - start.generator.system) /
    1000;
  return {
    connections: run.connections,
    seconds,
    responses,
    rps: ok / seconds,
    errors: responses - ok + failed,
    latency: recorder.summary(),
    statuses,
    errorSamples,
    failures,
    nodeCpuMsPerRequest: perResponse(
      start.node && end.node ? end.node.totalMs - start.node.totalMs : undefined,
    ),
    nodeSystemCpuMsPerRequest: perResponse(
      start.node && end.node ? end.node.systemMs - start.node.systemMs : undefined,
    ),
    pgCpuMsPerRequest: perResponse(
      start.pg && end.pg && start.pg.size > 0 ? clusterCpuDelta(start.pg, end.pg) : undefined,
    ),
    statementsPerRequest: perResponse(
      statementsBefore === undefined || statementsAfter === undefined
        ? undefined
        : statementsAfter - statementsBefore,
    ),
    generatorCpuMsPerRequest: perResponse(generatorMs) ?? 0,
    window: { startUs: Number(start.at / 1000n), endUs: Number(end.at / 1000n) },
  };
}

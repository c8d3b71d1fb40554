import type { LatencySummary } from '../histogram';
import { table } from '../report';
import { INTAKE_TARGETS, WRITE_WORKLOADS, type WorkloadName } from './settings';
import type { BareEndpoint } from './workloads';

/** One measured run, whoever served it. */
export interface Measurement {
  readonly server: 'gmdesk' | 'bare' | 'pgbench';
  /** gmdesk: the workload; bare: its endpoint; pgbench: `insert`. */
  readonly workload: WorkloadName | BareEndpoint;
  readonly concurrency: number;
  readonly seconds: number;
  /** Responses (gmdesk, bare) or transactions (pgbench) in the measured run. */
  readonly responses: number;
  readonly rps: number;
  readonly errors: number;
  readonly latency: LatencySummary;
  readonly nodeCpuMsPerRequest?: number;
  readonly nodeSystemCpuMsPerRequest?: number;
  readonly pgCpuMsPerRequest?: number;
  readonly statementsPerRequest?: number;
  readonly generatorCpuMsPerRequest?: number;
  readonly statuses?: Readonly<Record<string, number>>;
  readonly errorSamples?: Readonly<Record<string, string>>;
  readonly failures?: Readonly<Record<string, number>>;
}

const fixed = (value: number | undefined, digits = 2): string =>
  value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const rate = (value: number): string => Math.round(value).toLocaleString('en-US');

const LABEL: Record<Measurement['server'], string> = {
  gmdesk: 'gmdesk',
  bare: 'bare node:http + pg',
  pgbench: 'pgbench',
};

export function label(measurement: Measurement): string {
  return `${LABEL[measurement.server]} ${measurement.workload}`;
}

/** "3 (409×2, 500×1)": non-2xx by status and failures by message. */
export function errorText(measurement: Measurement): string {
  if (measurement.errors === 0) {
    return '0';
  }
  const parts = [
    ...Object.entries(measurement.statuses ?? {})
      .filter(([status]) => Number(status) < 200 || Number(status) > 299)
      .map(([status, count]) => `${status}×${count}`),
    ...Object.entries(measurement.failures ?? {}).map(([message, count]) => `${message}×${count}`),
  ];
  return `${measurement.errors} (${parts.join(', ')})`;
}

export function runsTable(measurements: readonly Measurement[]): string {
  return table(
    [
      'server / workload',
      'c',
      'req/s',
      'responses',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'node CPU ms/req (sys)',
      'PG CPU ms/req',
      'SQL stmts/req',
      'loadgen CPU ms/req',
    ],
    measurements.map((m) => [
      label(m),
      String(m.concurrency),
      rate(m.rps),
      rate(m.responses),
      fixed(m.latency.p50),
      fixed(m.latency.p99),
      fixed(m.latency.max, 1),
      errorText(m),
      m.nodeCpuMsPerRequest === undefined
        ? '—'
        : `${fixed(m.nodeCpuMsPerRequest, 3)} (${fixed(m.nodeSystemCpuMsPerRequest, 3)})`,
      fixed(m.pgCpuMsPerRequest, 3),
      fixed(m.statementsPerRequest, 1),
      fixed(m.generatorCpuMsPerRequest, 3),
    ]),
  );
}

export interface Comparison {
  readonly workload: WorkloadName;
  readonly concurrency: number;
  readonly gmdesk: Measurement;
  readonly bare?: Measurement;
  readonly ratio?: number;
  /** Only at the target concurrency. */
  readonly target?: { readonly text: string; readonly pass: boolean };
}

export function compare(
  measurements: readonly Measurement[],
  baselineOf: Readonly<Record<WorkloadName, BareEndpoint>>,
): Comparison[] {
  const gmdesk = measurements.filter((m) => m.server === 'gmdesk');
  return gmdesk.map((m) => {
    const workload = m.workload as WorkloadName;
    const bare = measurements.find(
      (other) =>
        other.server === 'bare' &&
        other.workload === baselineOf[workload] &&
        other.concurrency === m.concurrency,
    );
    const ratio = bare && bare.rps > 0 ? m.rps / bare.rps : undefined;
    let target: Comparison['target'];
    if (m.concurrency === INTAKE_TARGETS.concurrency) {
      const minimum = INTAKE_TARGETS.ratio[workload];
      const isWrite = WRITE_WORKLOADS.includes(workload);
      const errorsEverywhere = gmdesk
        .filter((other) => other.workload === workload)
        .reduce((sum, other) => sum + other.errors, 0);
      const checks = [
        { ok: ratio !== undefined && ratio >= minimum, text: `≥ ${minimum * 100} % of bare` },
        { ok: errorsEverywhere === 0, text: '0 errors at every c' },
        ...(isWrite
          ? [
              {
                ok:
                  m.nodeCpuMsPerRequest !== undefined &&
                  m.nodeCpuMsPerRequest < INTAKE_TARGETS.writeNodeCpuMs,
                text: `node CPU < ${INTAKE_TARGETS.writeNodeCpuMs} ms`,
              },
            ]
          : []),
      ];
      target = {
        pass: checks.every((check) => check.ok),
        text: checks.map((check) => `${check.text} ${check.ok ? 'PASS' : 'FAIL'}`).join('; '),
      };
    }
    return { workload, concurrency: m.concurrency, gmdesk: m, bare, ratio, target };
  });
}

export function comparisonTable(comparisons: readonly Comparison[]): string {
  return table(
    [
      'workload',
      'c',
      'gmdesk req/s',
      'bare req/s',
      'gmdesk/bare',
      'p99 gmdesk / bare ms',
      'node CPU ms/req gmdesk / bare',
      'PG CPU ms/req gmdesk / bare',
      `target (c=${INTAKE_TARGETS.concurrency})`,
    ],
    comparisons.map((c) => [
      c.workload,
      String(c.concurrency),
      rate(c.gmdesk.rps),
      c.bare ? rate(c.bare.rps) : '—',
      c.ratio === undefined ? '—' : `${(c.ratio * 100).toFixed(1)} %`,
      `${fixed(c.gmdesk.latency.p99)} / ${fixed(c.bare?.latency.p99)}`,
      `${fixed(c.gmdesk.nodeCpuMsPerRequest, 3)} / ${fixed(c.bare?.nodeCpuMsPerRequest, 3)}`,
      `${fixed(c.gmdesk.pgCpuMsPerRequest, 3)} / ${fixed(c.bare?.pgCpuMsPerRequest, 3)}`,
      c.target?.text ?? '',
    ]),
  );
}

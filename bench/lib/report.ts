import type { LatencySummary } from './histogram';

export interface LatencyRow {
  readonly figure: string;
  readonly n: string;
  readonly measured: LatencySummary;
  readonly baseline?: LatencySummary;
  /** p99 target in ms, when the design sets one. */
  readonly targetP99Ms?: number;
}

export interface MemoryRow {
  readonly figure: string;
  readonly connections: number;
  readonly gmdeskKb: number;
  readonly bareKb: number;
  readonly targetRatio?: number;
}

const ms = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(2));

export function ratio(measured: number, baseline: number | undefined): number | undefined {
  return baseline === undefined || baseline <= 0 ? undefined : measured / baseline;
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

export function latencyTarget(row: LatencyRow): string {
  if (row.targetP99Ms === undefined) {
    return '—';
  }
  const ok = row.measured.p99 <= row.targetP99Ms && row.measured.lost === 0;
  return `p99 ≤ ${row.targetP99Ms} ms: ${verdict(ok)}`;
}

export function memoryTarget(row: MemoryRow): string {
  if (row.targetRatio === undefined) {
    return '—';
  }
  const value = ratio(row.gmdeskKb, row.bareKb);
  return `≤ ${row.targetRatio}× bare: ${verdict(value !== undefined && value <= row.targetRatio)}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}

export function latencyTable(rows: readonly LatencyRow[]): string {
  return table(
    [
      'figure',
      'n',
      'p50 ms',
      'p99 ms',
      'max ms',
      'lost',
      'baseline p50',
      'baseline p99',
      'ratio p99',
      'target',
    ],
    rows.map((row) => {
      const r = ratio(row.measured.p99, row.baseline?.p99);
      return [
        row.figure,
        row.n,
        ms(row.measured.p50),
        ms(row.measured.p99),
        ms(row.measured.max),
        String(row.measured.lost),
        ms(row.baseline?.p50),
        ms(row.baseline?.p99),
        r === undefined ? '—' : `${r.toFixed(1)}×`,
        latencyTarget(row),
      ];
    }),
  );
}

export function memoryTable(rows: readonly MemoryRow[]): string {
  return table(
    ['figure', 'connections', 'gmdesk kB/conn', 'bare kB/conn', 'ratio', 'target'],
    rows.map((row) => {
      const r = ratio(row.gmdeskKb, row.bareKb);
      return [
        row.figure,
        String(row.connections),
        row.gmdeskKb.toFixed(2),
        row.bareKb.toFixed(2),
        r === undefined ? '—' : `${r.toFixed(2)}×`,
        memoryTarget(row),
      ];
    }),
  );
}

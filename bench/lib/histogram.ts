import { build, type Histogram } from 'hdr-histogram-js';

/** Percentiles of one latency series, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  /** Samples that never arrived within the per-sample timeout (not in the percentiles). */
  readonly lost: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Records milliseconds (as integer microseconds) in an HdrHistogram: 3 significant digits, ≤ 60 s. */
export class LatencyRecorder {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  private lostCount = 0;

  record(milliseconds: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(milliseconds * 1000)));
  }

  lost(): void {
    this.lostCount += 1;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    const ms = (micros: number): number => Math.round(micros) / 1000;
    return {
      count: h.totalCount,
      lost: this.lostCount,
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.maxValue),
      mean: ms(h.mean),
    };
  }
}

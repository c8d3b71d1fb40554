import { LineChart } from '@mantine/charts';
import { SegmentedControl, Skeleton } from '@mantine/core';
import type { ResponseTimeStats } from '../../../types/api';
import { ChartCard, EmptyChart, inSeriesOrder } from './stat-card';

export type ResponseRange = '48h' | '14d' | '30d';

const hourLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

const ORDER = inSeriesOrder(['p50', 'p90']);

/** "45s", "12m", "1h 05m", "2d 3h": response times at a glance. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) {
    return '—';
  }
  if (seconds < 60) {
    return `${Math.round(seconds)}s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  }
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** First public staff reply on support tickets: p50 and p90 per hour or day. */
export function ResponseTimesChart({
  stats,
  range,
  onRange,
  className,
}: {
  readonly stats: ResponseTimeStats | undefined;
  readonly range: ResponseRange;
  readonly onRange: (range: ResponseRange) => void;
  readonly className?: string;
}) {
  const format = stats?.bucket === 'hour' ? hourLabel : dayLabel;
  const data = (stats?.buckets ?? []).map((bucket) => ({
    label: format.format(new Date(bucket.start)),
    p50: bucket.p50Seconds,
    p90: bucket.p90Seconds,
  }));
  return (
    <ChartCard
      title="First response time"
      description="Support tickets, opened to first public staff reply"
      className={className}
      testId="chart-response-times"
      controls={
        <SegmentedControl
          size="xs"
          aria-label="Response time range"
          value={range}
          onChange={(value) => onRange(value)}
          data={[
            { value: '48h', label: '48 h' },
            { value: '14d', label: '14 d' },
            { value: '30d', label: '30 d' },
          ]}
        />
      }
    >
      {!stats ? (
        <Skeleton h={240} />
      ) : stats.overall.answered === 0 ? (
        <EmptyChart>
          {stats.overall.tickets === 0
            ? 'No support tickets were opened in this time.'
            : `${stats.overall.tickets} support tickets, none answered yet.`}
        </EmptyChart>
      ) : (
        <LineChart
          h={240}
          data={data}
          dataKey="label"
          curveType="monotone"
          connectNulls
          strokeWidth={2}
          gridAxis="y"
          tickLine="x"
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 36, itemSorter: ORDER }}
          tooltipProps={{ itemSorter: ORDER }}
          xAxisProps={{ minTickGap: 24 }}
          yAxisProps={{ width: 56, tickFormatter: (value: number) => formatSeconds(value) }}
          valueFormatter={(value) => formatSeconds(value)}
          tooltipAnimationDuration={150}
          series={[
            { name: 'p50', label: 'Median (p50)', color: 'blue.6' },
            { name: 'p90', label: 'p90', color: 'grape.5', strokeDasharray: '5 4' },
          ]}
        />
      )}
    </ChartCard>
  );
}

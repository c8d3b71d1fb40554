import { AreaChart } from '@mantine/charts';
import { SegmentedControl, Skeleton } from '@mantine/core';
import type { IntakeStats } from '../../../types/api';
import { ChartCard, EmptyChart, inSeriesOrder } from './stat-card';

export type IntakeRange = '24h' | '72h' | '7d';

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHourLabel = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const INTAKE_SERIES = [
  { name: 'reports', label: 'Reports', color: 'violet.6' },
  { name: 'supportTickets', label: 'Support tickets', color: 'teal.6' },
  { name: 'cases', label: 'New cases', color: 'orange.6' },
] as const;
const ORDER = inSeriesOrder(INTAKE_SERIES.map((series) => series.name));

/** Reports filed, support tickets and cases opened, per hour (the current hour last). */
export function IntakeChart({
  intake,
  range,
  onRange,
  className,
}: {
  readonly intake: IntakeStats | undefined;
  readonly range: IntakeRange;
  readonly onRange: (range: IntakeRange) => void;
  readonly className?: string;
}) {
  const format = intake && intake.hours > 24 ? dayHourLabel : hourLabel;
  const data = (intake?.buckets ?? []).map((bucket) => ({
    label: format.format(new Date(bucket.hour)),
    reports: bucket.reports,
    supportTickets: bucket.supportTickets,
    cases: bucket.cases,
  }));
  const totals = intake?.totals;
  return (
    <ChartCard
      title="Intake per hour"
      description={
        totals
          ? `${totals.reports} reports, ${totals.supportTickets} support tickets, ${totals.cases} new cases`
          : 'Reports filed, support tickets and cases opened'
      }
      className={className}
      testId="chart-intake"
      controls={
        <SegmentedControl
          size="xs"
          aria-label="Intake range"
          value={range}
          onChange={(value) => onRange(value)}
          data={[
            { value: '24h', label: '24 h' },
            { value: '72h', label: '3 d' },
            { value: '7d', label: '7 d' },
          ]}
        />
      }
    >
      {!intake ? (
        <Skeleton h={240} />
      ) : totals && totals.reports + totals.supportTickets + totals.cases === 0 ? (
        <EmptyChart>Nothing came in during this time.</EmptyChart>
      ) : (
        <AreaChart
          h={240}
          data={data}
          dataKey="label"
          curveType="linear"
          withGradient
          withDots={false}
          strokeWidth={2}
          gridAxis="y"
          tickLine="x"
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 36, itemSorter: ORDER }}
          tooltipProps={{ itemSorter: ORDER }}
          xAxisProps={{ minTickGap: 24 }}
          yAxisProps={{ allowDecimals: false, width: 40 }}
          tooltipAnimationDuration={150}
          series={INTAKE_SERIES.map((series) => ({ ...series }))}
        />
      )}
    </ChartCard>
  );
}

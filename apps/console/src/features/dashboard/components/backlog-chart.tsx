import { TICKET_KINDS, TICKET_PRIORITIES, type TicketKind } from '@gmdesk/contracts';
import { BarChart } from '@mantine/charts';
import { Skeleton } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import type { BacklogStats } from '../../../types/api';
import { ChartCard, EmptyChart, inSeriesOrder } from './stat-card';

const KIND_LABEL: Record<TicketKind, string> = {
  moderation: 'Moderation cases',
  support: 'Support tickets',
};

// The queue's priority colours (ui/badges.tsx); the legend and tooltip name each one.
export const PRIORITY_SERIES = [
  { name: 'urgent', label: 'Urgent', color: 'red.6' },
  { name: 'high', label: 'High', color: 'orange.5' },
  { name: 'normal', label: 'Normal', color: 'gray.5' },
  { name: 'low', label: 'Low', color: 'blue.4' },
] as const;

const ORDER = inSeriesOrder(PRIORITY_SERIES.map((series) => series.name));

/** Open items per kind, stacked by priority; a bar opens the queue filtered to it. */
export function BacklogChart({
  backlog,
  realmId,
  className,
}: {
  readonly backlog: BacklogStats | undefined;
  readonly realmId: string | null;
  readonly className?: string;
}) {
  const navigate = useNavigate();
  const data = TICKET_KINDS.map((kind) => ({
    kind,
    label: KIND_LABEL[kind],
    ...Object.fromEntries(
      TICKET_PRIORITIES.map((priority) => [
        priority,
        backlog?.cells.find((cell) => cell.kind === kind && cell.priority === priority)?.open ?? 0,
      ]),
    ),
  }));
  return (
    <ChartCard
      title="Open items by kind and priority"
      description="New, open and pending. Click a bar to open that queue."
      className={className}
      testId="chart-backlog"
    >
      {!backlog ? (
        <Skeleton h={220} />
      ) : backlog.totals.open === 0 ? (
        <EmptyChart>Nothing open. The queue is clear.</EmptyChart>
      ) : (
        <BarChart
          h={220}
          data={data}
          dataKey="label"
          type="stacked"
          orientation="vertical"
          series={PRIORITY_SERIES.map((series) => ({ ...series }))}
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 36, itemSorter: ORDER }}
          tooltipProps={{ itemSorter: ORDER }}
          gridAxis="x"
          yAxisProps={{ width: 130 }}
          maxBarWidth={44}
          tooltipAnimationDuration={150}
          barProps={(series) => ({
            cursor: 'pointer',
            onClick: (entry: { payload?: { kind?: TicketKind } }) => {
              const kind = entry.payload?.kind;
              void navigate({
                to: '/queue',
                search: {
                  kind,
                  priority: series.name as (typeof TICKET_PRIORITIES)[number],
                  ...(realmId && { realmId }),
                },
              });
            },
          })}
        />
      )}
    </ChartCard>
  );
}

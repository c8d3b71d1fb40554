import '@mantine/charts/styles.css';

import { Group, Select, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNow } from '../../../ui/clock';
import { IconAlarm, IconInbox, IconMessageCircle, IconUser } from '../../../ui/icons';
import { Page } from '../../../ui/page';
import {
  fetchBacklog,
  fetchIntake,
  fetchRealms,
  fetchResponseTimes,
  STATS_REFETCH_MS,
  statsKeys,
} from '../api';
import { BacklogChart } from './backlog-chart';
import classes from './dashboard.module.css';
import { IntakeChart, type IntakeRange } from './intake-chart';
import { OldestWaiting } from './oldest-waiting';
import { formatSeconds, ResponseTimesChart, type ResponseRange } from './response-times-chart';
import { StatCard } from './stat-card';

const INTAKE_HOURS: Record<IntakeRange, number> = { '24h': 24, '72h': 72, '7d': 168 };
const RESPONSE_RANGES: Record<ResponseRange, { bucket: 'hour' | 'day'; periods: number }> = {
  '48h': { bucket: 'hour', periods: 48 },
  '14d': { bucket: 'day', periods: 14 },
  '30d': { bucket: 'day', periods: 30 },
};

/**
 * The team's view of the work: what is open now (by kind and priority, unassigned, breaching),
 * what has waited longest, what came in per hour and how fast support tickets got a first
 * answer. Kept fresh by `/staff` events (live-events.ts invalidates the stats queries) and a
 * slow refetch for the clocks that move without events.
 */
export function DashboardPage() {
  const [realmId, setRealmId] = useState<string | null>(null);
  const [intakeRange, setIntakeRange] = useState<IntakeRange>('24h');
  const [responseRange, setResponseRange] = useState<ResponseRange>('14d');
  const hours = INTAKE_HOURS[intakeRange];
  const { bucket, periods } = RESPONSE_RANGES[responseRange];

  const realms = useQuery({
    queryKey: statsKeys.realms(),
    queryFn: ({ signal }) => fetchRealms(signal),
    staleTime: 5 * 60_000,
  });
  const backlog = useQuery({
    queryKey: statsKeys.backlog(realmId),
    queryFn: ({ signal }) => fetchBacklog(realmId, signal),
    refetchInterval: STATS_REFETCH_MS,
  });
  const intake = useQuery({
    queryKey: statsKeys.intake(realmId, hours),
    queryFn: ({ signal }) => fetchIntake(realmId, hours, signal),
    refetchInterval: STATS_REFETCH_MS,
    placeholderData: (previous) => previous,
  });
  const responseTimes = useQuery({
    queryKey: statsKeys.responseTimes(realmId, bucket, periods),
    queryFn: ({ signal }) => fetchResponseTimes(realmId, bucket, periods, signal),
    refetchInterval: STATS_REFETCH_MS,
    placeholderData: (previous) => previous,
  });

  const totals = backlog.data?.totals;
  const cases = backlog.data?.cells
    .filter((cell) => cell.kind === 'moderation')
    .reduce((sum, cell) => sum + cell.open, 0);
  const overall = responseTimes.data?.overall;

  return (
    <Page
      title="Dashboard"
      description={
        <Group gap={6} component="span">
          <span>Open work and how fast the team answers.</span>
          <UpdatedAt at={backlog.dataUpdatedAt} />
        </Group>
      }
    >
      <Group justify="space-between" className={classes.toolbar}>
        <Select
          aria-label="Realm"
          placeholder="All realms"
          size="xs"
          w={200}
          clearable
          data={(realms.data ?? []).map((realm) => ({ value: realm.id, label: realm.name }))}
          value={realmId}
          onChange={setRealmId}
        />
      </Group>

      <SimpleGrid cols={{ base: 2, md: 4 }} className={classes.wide} data-testid="stat-cards">
        <StatCard
          label="Open items"
          value={totals?.open}
          icon={<IconInbox size={18} />}
          hint={
            totals && cases !== undefined
              ? `${cases} cases · ${totals.open - cases} support tickets`
              : undefined
          }
        />
        <StatCard
          label="Unassigned"
          value={totals?.unassigned}
          icon={<IconUser size={18} />}
          hint={totals ? `${percent(totals.unassigned, totals.open)} of open items` : undefined}
        />
        <StatCard
          label="Breaching SLA"
          value={totals?.breaching}
          icon={<IconAlarm size={18} />}
          tone={totals && totals.breaching > 0 ? 'alert' : 'calm'}
          hint={totals ? `${totals.awaitingFirstResponse} awaiting a first response` : undefined}
        />
        <StatCard
          label="First response, median"
          value={overall ? formatSeconds(overall.p50Seconds) : undefined}
          icon={<IconMessageCircle size={18} />}
          hint={
            overall
              ? `p90 ${formatSeconds(overall.p90Seconds)} · ${overall.answered} of ${overall.tickets} answered (${responseRange})`
              : undefined
          }
        />
      </SimpleGrid>

      <div className={classes.grid}>
        <BacklogChart backlog={backlog.data} realmId={realmId} className={classes.span7} />
        <OldestWaiting backlog={backlog.data} className={classes.span5} />
        <IntakeChart
          intake={intake.data}
          range={intakeRange}
          onRange={setIntakeRange}
          className={classes.span7}
        />
        <ResponseTimesChart
          stats={responseTimes.data}
          range={responseRange}
          onRange={setResponseRange}
          className={classes.span5}
        />
      </div>
    </Page>
  );
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}

function UpdatedAt({ at }: { readonly at: number }) {
  const now = useNow();
  if (!at) {
    return null;
  }
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  return (
    <Text span size="xs" c="dimmed" data-testid="stats-updated">
      · updated{' '}
      {seconds < 5
        ? 'just now'
        : seconds < 60
          ? `${seconds}s ago`
          : `${Math.round(seconds / 60)}m ago`}
    </Text>
  );
}

import { TICKET_PRIORITIES } from '@gmdesk/contracts';
import { Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Page as ApiPage, Ticket } from '../../../types/api';
import { PriorityLabel } from '../../../ui/badges';
import { useNow } from '../../../ui/clock';
import { NotYet, Page } from '../../../ui/page';

const dashboardKeys = {
  openSample: () => ['dashboard', 'open-sample'] as const,
};

/**
 * Phase 1: counts from the first page of open items. Charts (backlog over time, first response
 * p50/p90, intake heatmap) need the stats endpoints listed in apps/console/README.md.
 */
export function DashboardPage() {
  const { data } = useQuery({
    queryKey: dashboardKeys.openSample(),
    queryFn: ({ signal }) =>
      api<ApiPage<Ticket>>('GET', '/tickets', {
        signal,
        query: { status: ['new', 'open', 'pending'], limit: 100 },
      }),
  });
  const now = useNow();
  const items = data?.items ?? [];
  const more = data?.nextCursor ? '+' : '';
  const count = (predicate: (ticket: Ticket) => boolean): string =>
    `${items.filter(predicate).length}${more}`;
  return (
    <Page title="Dashboard" description="What is open right now.">
      <SimpleGrid cols={{ base: 2, md: 4 }} maw={960}>
        <Stat label="Open cases" value={count((t) => t.kind === 'moderation')} />
        <Stat label="Open support tickets" value={count((t) => t.kind === 'support')} />
        <Stat label="Unassigned" value={count((t) => !t.assigneeId)} />
        <Stat
          label="Breaching SLA"
          value={count((t) => {
            const due = t.firstRespondedAt ? t.resolutionDueAt : t.firstResponseDueAt;
            return Boolean(due && new Date(due).getTime() < now);
          })}
        />
      </SimpleGrid>
      <Paper withBorder p="md" maw={960}>
        <Text fw={600} mb="sm">
          Open by priority
        </Text>
        <Stack gap={8}>
          {TICKET_PRIORITIES.map((priority) => {
            const n = items.filter((t) => t.priority === priority).length;
            const width = items.length ? Math.max(2, (n / items.length) * 100) : 0;
            return (
              <Group key={priority} gap="sm" wrap="nowrap">
                <div style={{ width: 90 }}>
                  <PriorityLabel priority={priority} />
                </div>
                <div style={{ flex: 1, background: 'var(--mantine-color-default-hover)' }}>
                  <div
                    style={{
                      width: `${width}%`,
                      height: 14,
                      background: 'var(--mantine-color-blue-5)',
                    }}
                  />
                </div>
                <Text size="sm" w={40} ta="right">
                  {n}
                </Text>
              </Group>
            );
          })}
        </Stack>
      </Paper>
      <NotYet>
        Backlog over time, first-response and resolution times and the intake heatmap need aggregate
        endpoints (GET /stats/…) the api does not have yet.
      </NotYet>
    </Page>
  );
}

function Stat({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} mt={4}>
        {value}
      </Text>
    </Paper>
  );
}

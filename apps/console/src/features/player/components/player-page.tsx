import { Anchor, Badge, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { errorMessage } from '../../../lib/api-client';
import type { Report } from '../../../types/api';
import { PriorityLabel, StatusBadge } from '../../../ui/badges';
import { RelativeTime, useNow } from '../../../ui/clock';
import { NotYet, Page } from '../../../ui/page';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import {
  fetchPlayer,
  fetchPlayerTickets,
  fetchReportsAgainst,
  fetchReportsFiled,
  playerKeys,
} from '../api';
import { PlayerSearch } from './player-search';

function Fact({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="sm" component="div">
        {children}
      </Text>
    </Paper>
  );
}

function Section({
  title,
  count,
  more,
  children,
}: {
  readonly title: string;
  readonly count?: number;
  readonly more?: boolean;
  readonly children: ReactNode;
}) {
  return (
    <Stack gap={6} role="region" aria-label={title}>
      <Text fw={600}>
        {title}
        {count !== undefined && ` (${count}${more ? '+' : ''})`}
      </Text>
      {children}
    </Stack>
  );
}

function ReportTable({
  reports,
  who,
  empty,
}: {
  readonly reports: readonly Report[];
  readonly who: 'reporter' | 'reported';
  readonly empty: string;
}) {
  if (reports.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Table striped highlightOnHover withTableBorder fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Filed</Table.Th>
          <Table.Th>{who === 'reporter' ? 'Reporter' : 'Against'}</Table.Th>
          <Table.Th>Category</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Case</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {reports.map((report) => (
          <Table.Tr key={report.id}>
            <Table.Td>
              <RelativeTime at={report.createdAt} />
            </Table.Td>
            <Table.Td>
              <PlayerName player={who === 'reporter' ? report.reporter : report.reported} />
            </Table.Td>
            <Table.Td>{report.category}</Table.Td>
            <Table.Td maw={360}>
              <Text size="sm" lineClamp={2}>
                <PlayerText value={report.description} />
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light">
                {report.status}
              </Badge>
            </Table.Td>
            <Table.Td>
              {report.ticketId && (
                <Anchor
                  size="sm"
                  renderRoot={(props) => (
                    <Link
                      {...props}
                      to="/queue/$ticketId"
                      params={{ ticketId: report.ticketId! }}
                    />
                  )}
                >
                  Open
                </Anchor>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Player 360: identity, sanctions (composed in by the route from the sanctions feature), reports
 * against and filed, and tickets.
 */
export function PlayerPage({
  realmId,
  accountId,
  sanctions,
}: {
  readonly realmId: string;
  readonly accountId: string;
  readonly sanctions?: ReactNode;
}) {
  const player = useQuery({
    queryKey: playerKeys.detail(realmId, accountId),
    queryFn: ({ signal }) => fetchPlayer(realmId, accountId, signal),
  });
  const against = useQuery({
    queryKey: playerKeys.reportsAgainst(realmId, accountId),
    queryFn: ({ signal }) => fetchReportsAgainst(realmId, accountId, signal),
  });
  const filed = useQuery({
    queryKey: playerKeys.reportsFiled(realmId, accountId),
    queryFn: ({ signal }) => fetchReportsFiled(realmId, accountId, signal),
  });
  const tickets = useQuery({
    queryKey: playerKeys.tickets(realmId, accountId),
    queryFn: ({ signal }) => fetchPlayerTickets(realmId, accountId, signal),
  });
  const data = player.data;
  const now = useNow();
  return (
    <Page
      title="Player"
      description={
        <>
          <PlayerText value={accountId} /> in realm {realmId}
        </>
      }
    >
      <PlayerSearch />
      {player.isError && <NotYet>{errorMessage(player.error)}</NotYet>}
      {data && (
        <SimpleGrid cols={{ base: 2, md: 3, xl: 6 }} maw={1200} aria-label="Identity">
          <Fact label="Display name">
            <PlayerName player={data} />
          </Fact>
          <Fact label="Account id">
            <Text span ff="monospace" size="sm" fw={600}>
              <PlayerText value={data.accountId} />
            </Text>
          </Fact>
          <Fact label="Language">{data.language ?? '—'}</Fact>
          <Fact label="Report credibility">{(data.reportCredibility ?? 0).toFixed(2)}</Fact>
          <Fact label="First seen">
            <RelativeTime at={data.firstSeenAt} />
          </Fact>
          <Fact label="Reporting">
            {data.reportBannedUntil && new Date(data.reportBannedUntil).getTime() > now ? (
              <Badge color="red" variant="light">
                report-banned
              </Badge>
            ) : (
              'allowed'
            )}
          </Fact>
        </SimpleGrid>
      )}
      <Stack gap="lg" maw={1200}>
        {sanctions}
        <Section
          title="Reports against this player"
          count={against.data?.items.length}
          more={Boolean(against.data?.nextCursor)}
        >
          <ReportTable reports={against.data?.items ?? []} who="reporter" empty="None." />
        </Section>
        <Section
          title="Reports filed by this player"
          count={filed.data?.items.length}
          more={Boolean(filed.data?.nextCursor)}
        >
          <ReportTable reports={filed.data?.items ?? []} who="reported" empty="None." />
        </Section>
        <Section
          title="Tickets"
          count={tickets.data?.items.length}
          more={Boolean(tickets.data?.nextCursor)}
        >
          {(tickets.data?.items.length ?? 0) === 0 ? (
            <Text size="sm" c="dimmed">
              None.
            </Text>
          ) : (
            <Table striped highlightOnHover withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Opened</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Category</Table.Th>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(tickets.data?.items ?? []).map((ticket) => (
                  <Table.Tr key={ticket.id}>
                    <Table.Td>
                      <RelativeTime at={ticket.createdAt} />
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Anchor
                        size="sm"
                        renderRoot={(props) => (
                          <Link {...props} to="/queue/$ticketId" params={{ ticketId: ticket.id }} />
                        )}
                      >
                        <PlayerText value={ticket.subject} />
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{ticket.category}</Table.Td>
                    <Table.Td>
                      <PriorityLabel priority={ticket.priority} />
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={ticket.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
      </Stack>
    </Page>
  );
}

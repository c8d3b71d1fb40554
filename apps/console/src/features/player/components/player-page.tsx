import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../../lib/api-client';
import { RelativeTime } from '../../../ui/clock';
import { NotYet, Page } from '../../../ui/page';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import { fetchPlayer, fetchReportsAgainst, playerKeys } from '../api';

export function PlayerPage({
  realmId,
  accountId,
}: {
  readonly realmId: string;
  readonly accountId: string;
}) {
  const player = useQuery({
    queryKey: playerKeys.detail(realmId, accountId),
    queryFn: ({ signal }) => fetchPlayer(realmId, accountId, signal),
  });
  const reports = useQuery({
    queryKey: playerKeys.reportsAgainst(realmId, accountId),
    queryFn: ({ signal }) => fetchReportsAgainst(realmId, accountId, signal),
  });
  return (
    <Page
      title="Player"
      description={
        <>
          <PlayerText value={accountId} /> in realm {realmId}
        </>
      }
    >
      {player.isError && <NotYet>{errorMessage(player.error)}</NotYet>}
      {player.data && (
        <SimpleGrid cols={{ base: 1, md: 3 }} maw={900}>
          <Paper withBorder p="md">
            <Text size="xs" c="dimmed">
              Display name
            </Text>
            <Text fw={600}>
              <PlayerName player={player.data} />
            </Text>
          </Paper>
          <Paper withBorder p="md">
            <Text size="xs" c="dimmed">
              Report credibility
            </Text>
            <Text fw={600}>{(player.data.reportCredibility ?? 0).toFixed(2)}</Text>
          </Paper>
          <Paper withBorder p="md">
            <Text size="xs" c="dimmed">
              First seen
            </Text>
            <Text fw={600}>
              <RelativeTime at={player.data.firstSeenAt} />
            </Text>
          </Paper>
        </SimpleGrid>
      )}
      <Stack gap={6} maw={900}>
        <Text fw={600}>Reports against this player</Text>
        <Table striped highlightOnHover withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Filed</Table.Th>
              <Table.Th>Reporter</Table.Th>
              <Table.Th>Category</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(reports.data?.items ?? []).map((report) => (
              <Table.Tr key={report.id}>
                <Table.Td>
                  <RelativeTime at={report.createdAt} />
                </Table.Td>
                <Table.Td>
                  <PlayerName player={report.reporter} />
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
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      <NotYet>
        <Group gap={4}>
          Sanctions, reports filed by this player and their tickets need player endpoints the api
          does not have yet (see apps/console/README.md).
        </Group>
      </NotYet>
    </Page>
  );
}

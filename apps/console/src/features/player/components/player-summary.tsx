import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { RelativeTime } from '../../../ui/clock';
import { PlayerText } from '../../../ui/player-text';
import { fetchPlayer, fetchReportsAgainst, playerKeys } from '../api';

/** The player beside a case: identity, credibility, reports against them. */
export function PlayerSummary({
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
    <Stack gap={4} mt={4}>
      <Text size="xs" c="dimmed" ff="monospace">
        <PlayerText value={accountId} /> @ {realmId}
      </Text>
      {player.data && (
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            first seen <RelativeTime at={player.data.firstSeenAt} />
          </Text>
          {player.data.reportBannedUntil && (
            <Badge size="xs" color="red" variant="light">
              report-banned
            </Badge>
          )}
        </Group>
      )}
      {reports.data && (
        <Text size="xs" c="dimmed">
          {reports.data.items.length}
          {reports.data.nextCursor ? '+' : ''}{' '}
          {reports.data.items.length === 1 && !reports.data.nextCursor ? 'report' : 'reports'}{' '}
          against this player
        </Text>
      )}
      <Anchor
        size="xs"
        renderRoot={(props) => (
          <Link {...props} to="/players/$realmId/$accountId" params={{ realmId, accountId }} />
        )}
      >
        Open player page
      </Anchor>
    </Stack>
  );
}

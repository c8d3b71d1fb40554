import { Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../../lib/api-client';
import { fetchSanctions, sanctionKeys } from '../api';
import { SanctionTable } from './sanction-list';

/** A player's sanctions, in force first, then the past ones (for the player page). */
export function PlayerSanctions({
  realmId,
  accountId,
}: {
  readonly realmId: string;
  readonly accountId: string;
}) {
  const filters = { realmId, playerId: accountId };
  const list = useQuery({
    queryKey: sanctionKeys.list(filters),
    queryFn: ({ signal }) => fetchSanctions(filters, null, signal),
  });
  if (list.isError) {
    return (
      <Text size="sm" c="red">
        {errorMessage(list.error)}
      </Text>
    );
  }
  const items = list.data?.items ?? [];
  const active = items.filter((sanction) => sanction.active);
  const past = items.filter((sanction) => !sanction.active);
  return (
    <Stack gap="md">
      <Stack gap={6} role="region" aria-label="Active sanctions">
        <Text fw={600}>Active sanctions ({active.length})</Text>
        <SanctionTable
          sanctions={active}
          empty={list.isPending ? 'Loading…' : 'Nothing in force.'}
        />
      </Stack>
      <Stack gap={6} role="region" aria-label="Past sanctions">
        <Text fw={600}>
          Past sanctions ({past.length}
          {list.data?.nextCursor ? '+' : ''})
        </Text>
        <SanctionTable sanctions={past} empty={list.isPending ? 'Loading…' : 'None.'} />
      </Stack>
    </Stack>
  );
}

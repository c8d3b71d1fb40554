import { Button, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useMe } from '../../../app/session';
import { errorMessage } from '../../../lib/api-client';
import { useShortcuts } from '../../../lib/shortcuts';
import { IconGavel } from '../../../ui/icons';
import { fetchSanctions, sanctionKeys } from '../api';
import { SanctionDialog } from './sanction-dialog';
import { SanctionTable } from './sanction-list';

/**
 * A player's sanctions, in force first, then the past ones (for the player page); moderators can
 * sanction the player from here too (`s`), without a case.
 */
export function PlayerSanctions({
  realmId,
  accountId,
  displayName = null,
}: {
  readonly realmId: string;
  readonly accountId: string;
  /** For the dialog's heading, when the route knows it. */
  readonly displayName?: string | null;
}) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const canSanction = me.role !== 'agent';
  useShortcuts({ s: () => canSanction && setOpen(true) });
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
        <Group justify="space-between" maw={1200}>
          <Text fw={600}>Active sanctions ({active.length})</Text>
          {canSanction && (
            <Button
              size="compact-sm"
              variant="light"
              color="red"
              leftSection={<IconGavel size={14} />}
              onClick={() => setOpen(true)}
            >
              Sanction (s)
            </Button>
          )}
        </Group>
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
      <SanctionDialog
        opened={open}
        onClose={() => setOpen(false)}
        target={{ realmId, player: { accountId, displayName } }}
      />
    </Stack>
  );
}

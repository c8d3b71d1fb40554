import { Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useMe } from '../../../app/session';
import { useShortcuts } from '../../../lib/shortcuts';
import { useStaffNames } from '../../../lib/staff-directory';
import { IconGavel } from '../../../ui/icons';
import { fetchSanctions, sanctionKeys } from '../api';
import { SanctionDialog, type SanctionTarget } from './sanction-dialog';
import { SanctionCard } from './sanction-list';

/**
 * The sanctions of one case, beside it: `s` (or the button) opens the sanction dialog; each
 * sanction shows a chip per game server that turns from pending to enforced as servers ack.
 * Agents see the sanctions but cannot issue one (the api admits moderators and admins).
 */
export function CaseSanctions({ target }: { readonly target: Required<SanctionTarget> }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const staffNames = useStaffNames(me.role);
  const [open, setOpen] = useState(false);
  const canSanction = me.role !== 'agent';
  const filters = { ticketId: target.ticketId };
  const sanctions = useQuery({
    queryKey: sanctionKeys.list(filters),
    queryFn: ({ signal }) => fetchSanctions(filters, null, signal),
  });
  useShortcuts({ s: () => canSanction && setOpen(true) });

  const staffName = (staffId: string): string =>
    staffId === me.id ? 'You' : (staffNames.get(staffId) ?? 'A GM');
  const items = sanctions.data?.items ?? [];

  return (
    <Stack gap={6} aria-label="Sanctions" role="region">
      <Group justify="space-between">
        <Text size="xs" fw={700} tt="uppercase" c="dimmed">
          Sanctions ({items.length})
        </Text>
        <Tooltip
          label={canSanction ? 'Sanction this player (s)' : 'Moderators and admins sanction'}
          withArrow
        >
          <Button
            size="compact-xs"
            variant="light"
            color="red"
            leftSection={<IconGavel size={14} />}
            disabled={!canSanction}
            onClick={() => setOpen(true)}
          >
            Sanction (s)
          </Button>
        </Tooltip>
      </Group>
      {items.map((sanction) => (
        <SanctionCard key={sanction.id} sanction={sanction} staffName={staffName} />
      ))}
      {sanctions.isSuccess && items.length === 0 && (
        <Text size="xs" c="dimmed">
          No sanction from this case yet.
        </Text>
      )}
      <SanctionDialog
        opened={open}
        onClose={() => setOpen(false)}
        target={target}
        onIssued={(sanction) => {
          void queryClient.invalidateQueries({ queryKey: sanctionKeys.list(filters) });
          notifications.show({
            color: 'green',
            title: `${sanction.type} issued`,
            message: 'Game servers of the realm are enforcing it; watch the chips below.',
          });
        }}
      />
    </Stack>
  );
}

import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Sanction } from '../../../types/api';
import { formatDuration, RelativeTime, useNow } from '../../../ui/clock';
import { PlayerText } from '../../../ui/player-text';
import { EnforcementChips } from './enforcement-chips';
import { LiftSanction } from './lift-sanction';

const TYPE_COLORS: Record<Sanction['type'], string> = {
  warn: 'yellow',
  mute: 'orange',
  kick: 'grape',
  suspend: 'red',
  ban: 'red',
};

export function SanctionTypeBadge({ sanction }: { readonly sanction: Sanction }) {
  return (
    <Badge size="sm" variant="filled" color={TYPE_COLORS[sanction.type]}>
      {sanction.type}
    </Badge>
  );
}

/** How long it lasts, in words. */
export function SanctionTerm({ sanction }: { readonly sanction: Sanction }) {
  if (sanction.revokedAt) {
    return (
      <Text span size="xs" c="dimmed">
        lifted <RelativeTime at={sanction.revokedAt} />
      </Text>
    );
  }
  if (sanction.type === 'warn' || sanction.type === 'kick') {
    return (
      <Text span size="xs" c="dimmed">
        once
      </Text>
    );
  }
  if (!sanction.expiresAt) {
    return (
      <Text span size="xs" c="dimmed">
        permanent
      </Text>
    );
  }
  return <Ends at={sanction.expiresAt} />;
}

/** "ends in 23h" / "ended 2d ago" (RelativeTime is for the past only). */
function Ends({ at }: { readonly at: string }) {
  const left = new Date(at).getTime() - useNow();
  return (
    <Text span size="xs" c="dimmed">
      <time dateTime={at} title={new Date(at).toLocaleString()}>
        {left > 0 ? `ends in ${formatDuration(left)}` : `ended ${formatDuration(left)} ago`}
      </time>
    </Text>
  );
}

/** One sanction as a compact card: type, term, reasons, and where each game server stands. */
export function SanctionCard({
  sanction,
  staffName,
}: {
  readonly sanction: Sanction;
  readonly staffName?: (staffId: string) => string;
}) {
  return (
    <Stack
      gap={4}
      p="xs"
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 6 }}
      data-sanction-id={sanction.id}
      aria-label={`Sanction ${sanction.type}`}
      role="group"
    >
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <SanctionTypeBadge sanction={sanction} />
          {sanction.active && (
            <Badge size="xs" variant="outline" color="red">
              in force
            </Badge>
          )}
        </Group>
        <Group gap={4} wrap="nowrap">
          <SanctionTerm sanction={sanction} />
          <LiftSanction sanction={sanction} />
        </Group>
      </Group>
      <Text size="xs">
        <PlayerText value={sanction.publicReason} />
      </Text>
      {sanction.privateReason && (
        <Text size="xs" c="dimmed">
          Note: <PlayerText value={sanction.privateReason} />
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {staffName ? staffName(sanction.issuedBy) : 'A GM'} ·{' '}
        <RelativeTime at={sanction.createdAt} />
      </Text>
      <EnforcementChips sanctionId={sanction.id} />
    </Stack>
  );
}

/** A table of sanctions; `lead` adds a leading column (the player, on the sanctions page). */
export function SanctionTable({
  sanctions,
  lead,
  empty,
}: {
  readonly sanctions: readonly Sanction[];
  readonly lead?: { readonly title: string; readonly cell: (sanction: Sanction) => ReactNode };
  readonly empty: string;
}) {
  if (sanctions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Table striped withTableBorder verticalSpacing={6} fz="sm">
      <Table.Thead>
        <Table.Tr>
          {lead && <Table.Th>{lead.title}</Table.Th>}
          <Table.Th>Type</Table.Th>
          <Table.Th>Term</Table.Th>
          <Table.Th>Public reason</Table.Th>
          <Table.Th>Issued</Table.Th>
          <Table.Th>Game servers</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sanctions.map((sanction) => (
          <Table.Tr key={sanction.id} data-sanction-id={sanction.id}>
            {lead && <Table.Td>{lead.cell(sanction)}</Table.Td>}
            <Table.Td>
              <SanctionTypeBadge sanction={sanction} />
            </Table.Td>
            <Table.Td>
              <SanctionTerm sanction={sanction} />
            </Table.Td>
            <Table.Td maw={320}>
              <Text size="sm" lineClamp={2}>
                <PlayerText value={sanction.publicReason} />
              </Text>
            </Table.Td>
            <Table.Td>
              <RelativeTime at={sanction.createdAt} />
            </Table.Td>
            <Table.Td>
              <EnforcementChips sanctionId={sanction.id} />
            </Table.Td>
            <Table.Td>
              <LiftSanction sanction={sanction} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

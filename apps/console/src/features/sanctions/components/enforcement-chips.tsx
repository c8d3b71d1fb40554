import { Badge, Group, Loader, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ServerEnforcement } from '../../../types/api';
import { fetchSanction, sanctionKeys } from '../api';

interface ChipLook {
  readonly label: string;
  readonly color: string;
  readonly hint: string;
}

/** What a server's state means to a GM (a word on every chip: never colour alone). */
function lookOf(entry: ServerEnforcement): ChipLook {
  const lifting = entry.action === 'revoked';
  switch (entry.status) {
    case 'acked':
      return lifting
        ? { label: 'lifted', color: 'teal', hint: 'The server lifted the sanction.' }
        : { label: 'enforced', color: 'green', hint: 'The server acknowledged and enforces it.' };
    case 'pending':
      return {
        label: lifting ? 'lifting…' : 'pending',
        color: 'yellow',
        hint: 'Sent; the server has not acknowledged it yet (sent again when it reconnects).',
      };
    case 'superseded':
      return {
        label: `not needed (${entry.supersededBy ?? 'lifted'})`,
        color: 'gray',
        hint: 'Never acknowledged, and no longer sent: the sanction was lifted or expired.',
      };
    case 'not_sent':
      return {
        label: 'not connected yet',
        color: 'gray',
        hint: 'The server has not connected since it was registered; it gets the sanction when it does.',
      };
  }
}

/**
 * One chip per game server of the realm: pending → enforced live, from the `sanction.enforcement`
 * events that app/live-events.ts writes into this query's cache.
 */
export function EnforcementChips({ sanctionId }: { readonly sanctionId: string }) {
  const detail = useQuery({
    queryKey: sanctionKeys.detail(sanctionId),
    queryFn: ({ signal }) => fetchSanction(sanctionId, signal),
  });
  if (detail.isPending) {
    return <Loader size="xs" aria-label="Loading enforcement" />;
  }
  if (detail.isError) {
    return (
      <Text size="xs" c="red">
        Enforcement status unavailable.
      </Text>
    );
  }
  // The latest event per server: a lifted sanction shows the lifting, not the old enforcement.
  const latest = new Map<string, ServerEnforcement>();
  for (const entry of detail.data.enforcement) {
    const current = latest.get(entry.serverId);
    if (!current || (current.action === 'issued' && entry.action === 'revoked')) {
      latest.set(entry.serverId, entry);
    }
  }
  if (latest.size === 0) {
    return (
      <Text size="xs" c="dimmed">
        No game server in this realm yet.
      </Text>
    );
  }
  return (
    <Group gap={4} component="ul" aria-label="Enforcement by game server" m={0} p={0}>
      {[...latest.values()].map((entry) => {
        const look = lookOf(entry);
        return (
          <Tooltip key={entry.serverId} label={look.hint} withArrow>
            <Badge
              component="li"
              size="sm"
              radius="sm"
              variant="light"
              color={look.color}
              data-state={entry.status}
              style={{ listStyle: 'none', textTransform: 'none' }}
            >
              {entry.serverName}: {look.label}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

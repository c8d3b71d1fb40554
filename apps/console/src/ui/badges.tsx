import type { TicketPriority, TicketStatus } from '@gmdesk/contracts';
import { Badge, Group, Text } from '@mantine/core';
import type { Ticket } from '../types/api';
import { formatDuration, useNow } from './clock';
import {
  IconAlarm,
  IconAlertTriangleFilled,
  IconChevronDown,
  IconChevronsUp,
  IconEqual,
  IconUsersGroup,
} from './icons';

const PRIORITY = {
  urgent: { color: 'red', Icon: IconAlertTriangleFilled, label: 'Urgent' },
  high: { color: 'orange', Icon: IconChevronsUp, label: 'High' },
  normal: { color: 'gray', Icon: IconEqual, label: 'Normal' },
  low: { color: 'blue', Icon: IconChevronDown, label: 'Low' },
} as const satisfies Record<TicketPriority, unknown>;

/** Priority as an icon and a word (never by colour alone). */
export function PriorityLabel({
  priority,
  compact = false,
}: {
  readonly priority: TicketPriority;
  readonly compact?: boolean;
}) {
  const { color, Icon, label } = PRIORITY[priority];
  return (
    <Group
      gap={4}
      wrap="nowrap"
      // The -text variables keep contrast in both colour schemes.
      c={color === 'gray' ? 'dimmed' : `var(--mantine-color-${color}-text)`}
      aria-label={`Priority ${label}`}
    >
      <Icon size={14} stroke={2.2} aria-hidden />
      {!compact && (
        <Text span size="xs" fw={600} c="inherit">
          {label}
        </Text>
      )}
    </Group>
  );
}

const STATUS_COLOR: Record<TicketStatus, string> = {
  new: 'blue',
  open: 'teal',
  pending: 'yellow',
  solved: 'gray',
  closed: 'dark',
};

export function StatusBadge({ status }: { readonly status: TicketStatus }) {
  return (
    <Badge size="sm" variant="light" color={STATUS_COLOR[status]} radius="sm">
      {status}
    </Badge>
  );
}

// Queue rows use plain `title` hints, not Mantine tooltips: rows mount by the dozen while a GM
// scrolls a long queue, and a floating tooltip per badge made that measurably janky.

export function BrigadingBadge() {
  return (
    <Badge
      size="sm"
      variant="outline"
      color="grape"
      radius="sm"
      title="Many reports from new or low-credibility accounts: possible brigading"
      leftSection={<IconUsersGroup size={12} aria-hidden />}
    >
      Brigading?
    </Badge>
  );
}

/** The next SLA clock of a ticket: first response until answered, then resolution. */
export function nextSla(ticket: Ticket): { label: string; dueAt: string } | null {
  if (ticket.status === 'solved' || ticket.status === 'closed') {
    return null;
  }
  if (!ticket.firstRespondedAt && ticket.firstResponseDueAt) {
    return { label: 'First response', dueAt: ticket.firstResponseDueAt };
  }
  if (ticket.resolutionDueAt) {
    return { label: 'Resolution', dueAt: ticket.resolutionDueAt };
  }
  return null;
}

const WARN_MS = 30 * 60_000;

/** Counts down to an SLA due time; turns amber, then red and negative ("overdue 5m"). */
export function SlaBadge({
  label,
  dueAt,
  size = 'sm',
  showLabel = false,
}: {
  readonly label: string;
  readonly dueAt: string;
  readonly size?: 'xs' | 'sm' | 'md';
  /** Writes which clock it is ("First response 23h"), where several are shown together. */
  readonly showLabel?: boolean;
}) {
  const now = useNow();
  const left = new Date(dueAt).getTime() - now;
  const overdue = left < 0;
  const color = overdue ? 'red' : left < WARN_MS ? 'orange' : 'gray';
  const text = overdue ? `−${formatDuration(left)}` : formatDuration(left);
  return (
    <Badge
      size={size}
      radius="sm"
      color={color}
      variant={overdue ? 'filled' : 'light'}
      leftSection={<IconAlarm size={12} aria-hidden />}
      title={`${label} due ${new Date(dueAt).toLocaleString()}`}
      aria-label={`${label} ${overdue ? `overdue by ${formatDuration(left)}` : `due in ${text}`}`}
      styles={{ label: { fontVariantNumeric: 'tabular-nums', textTransform: 'none' } }}
    >
      {showLabel ? `${label} ${text}` : text}
    </Badge>
  );
}

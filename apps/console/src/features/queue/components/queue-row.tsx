import { Badge, Group, Text } from '@mantine/core';
import { memo } from 'react';
import type { Ticket } from '../../../types/api';
import { BrigadingBadge, nextSla, PriorityLabel, SlaBadge, StatusBadge } from '../../../ui/badges';
import { RelativeTime } from '../../../ui/clock';
import { IconFlag, IconLifebuoy, IconUser } from '../../../ui/icons';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import type { QueueMark } from '../api';
import classes from './queue.module.css';

export interface QueueRowProps {
  readonly ticket: Ticket;
  readonly selected: boolean;
  readonly compact: boolean;
  readonly mark: QueueMark | undefined;
  readonly departed: boolean;
  readonly assignee: string | null;
  readonly top: number;
  readonly height: number;
  readonly onOpen: (ticketId: string) => void;
}

const CHANGE_LABEL: Record<string, string> = {
  new: 'New',
  opened: 'New',
  player_message: 'Player wrote',
  reply: 'Replied',
  status: 'Status changed',
  assigned: 'Assignee changed',
  report_added: 'New report',
};

export const QueueRow = memo(function QueueRow({
  ticket,
  selected,
  compact,
  mark,
  departed,
  assignee,
  top,
  height,
  onOpen,
}: QueueRowProps) {
  const sla = nextSla(ticket);
  const person = ticket.kind === 'moderation' ? ticket.subjectPlayer : ticket.requester;
  const brigading = ticket.flags?.includes('possible_brigading') ?? false;
  const KindIcon = ticket.kind === 'moderation' ? IconFlag : IconLifebuoy;
  const changeLabel = mark ? (CHANGE_LABEL[mark.change] ?? 'Updated') : undefined;

  return (
    <div
      id={`queue-row-${ticket.id}`}
      role="option"
      aria-selected={selected}
      data-ticket-id={ticket.id}
      data-changed={mark ? true : undefined}
      data-departed={departed || undefined}
      className={compact ? `${classes.row} ${classes.compact}` : classes.row}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={() => onOpen(ticket.id)}
    >
      <span className={classes.markBar} aria-hidden />
      {compact ? (
        <>
          <div className={classes.compactMain}>
            <Group gap={6} wrap="nowrap" className={classes.compactTop}>
              <PriorityLabel priority={ticket.priority} compact />
              <Text size="sm" fw={mark ? 650 : 500} truncate className={classes.subject}>
                <PlayerText value={ticket.subject} />
              </Text>
            </Group>
            <Group gap={6} wrap="nowrap" className={classes.compactBottom}>
              <KindIcon size={12} aria-label={ticket.kind} />
              <Text size="xs" c="dimmed" truncate>
                <PlayerName player={person ?? null} /> · {ticket.category}
              </Text>
            </Group>
          </div>
          <div className={classes.compactSide}>
            {sla ? <SlaBadge label={sla.label} dueAt={sla.dueAt} size="xs" /> : null}
            {changeLabel && (
              <Text size="10px" c="blue.7" fw={600}>
                {changeLabel}
              </Text>
            )}
          </div>
        </>
      ) : (
        <>
          <div className={classes.colPriority}>
            <PriorityLabel priority={ticket.priority} />
          </div>
          <div className={classes.colKind}>
            <span title={ticket.kind === 'moderation' ? 'Moderation case' : 'Support ticket'}>
              <KindIcon size={16} aria-label={ticket.kind} />
            </span>
          </div>
          <div className={classes.colSubject}>
            <Text size="sm" fw={mark ? 650 : 500} truncate className={classes.subject}>
              <PlayerText value={ticket.subject} />
            </Text>
            <Group gap={6} wrap="nowrap" className={classes.flagsInline}>
              {brigading && <BrigadingBadge />}
              {changeLabel && (
                <Badge size="xs" variant="dot" color="blue">
                  {changeLabel}
                </Badge>
              )}
              {departed && (
                <Badge size="xs" variant="light" color="gray">
                  left this view
                </Badge>
              )}
            </Group>
          </div>
          <div className={classes.colPlayer}>
            <Text size="sm" truncate>
              <PlayerName player={person ?? null} />
            </Text>
          </div>
          <div className={classes.colCategory}>
            <Text size="xs" c="dimmed" truncate>
              {ticket.category}
            </Text>
          </div>
          <div className={classes.colRealm}>
            <Text size="xs" c="dimmed" truncate>
              {ticket.realmId}
            </Text>
          </div>
          <div>
            <StatusBadge status={ticket.status} />
          </div>
          <div className={classes.colReports}>
            {ticket.kind === 'moderation' ? (
              <Text
                size="xs"
                fw={600}
                className={classes.num}
                title={`${ticket.reportCount ?? 0} reports from ${ticket.reporterCount ?? 0} players, score ${(ticket.score ?? 0).toFixed(1)}`}
              >
                {ticket.reportCount ?? 0}
                <Text span size="xs" c="dimmed" fw={400}>
                  {' '}
                  / {(ticket.score ?? 0).toFixed(1)}
                </Text>
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                —
              </Text>
            )}
          </div>
          <div className={classes.colSla}>
            {sla ? <SlaBadge label={sla.label} dueAt={sla.dueAt} /> : null}
          </div>
          <div className={classes.colAssignee}>
            {assignee ? (
              <Group gap={4} wrap="nowrap">
                <IconUser size={12} aria-hidden />
                <Text size="xs" truncate fw={assignee === 'You' ? 600 : 400}>
                  {assignee}
                </Text>
              </Group>
            ) : (
              <Text size="xs" c="dimmed">
                Unassigned
              </Text>
            )}
          </div>
          <div className={classes.colAge}>
            <Text size="xs" c="dimmed">
              <RelativeTime at={ticket.createdAt} />
            </Text>
          </div>
        </>
      )}
    </div>
  );
});

import type { TicketKind } from '@gmdesk/contracts';
import { Skeleton, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { BacklogStats } from '../../../types/api';
import { PriorityLabel } from '../../../ui/badges';
import { formatDuration, useNow } from '../../../ui/clock';
import { IconFlag, IconLifebuoy } from '../../../ui/icons';
import { PlayerText } from '../../../ui/player-text';
import classes from './dashboard.module.css';
import { ChartCard, EmptyChart } from './stat-card';

const KIND: Record<TicketKind, { label: string; Icon: typeof IconFlag }> = {
  moderation: { label: 'Moderation case', Icon: IconFlag },
  support: { label: 'Support ticket', Icon: IconLifebuoy },
};

/** The longest-waiting new or open item of each kind, with a live "waiting for" clock. */
export function OldestWaiting({
  backlog,
  className,
}: {
  readonly backlog: BacklogStats | undefined;
  readonly className?: string;
}) {
  const now = useNow();
  return (
    <ChartCard
      title="Oldest waiting"
      description="New or open, waiting for staff the longest."
      className={className}
      testId="oldest-waiting"
    >
      {!backlog ? (
        <Skeleton h={120} />
      ) : backlog.oldestWaiting.length === 0 ? (
        <EmptyChart>No one is waiting.</EmptyChart>
      ) : (
        <Stack gap="xs">
          {backlog.oldestWaiting.map((item) => {
            const { label, Icon } = KIND[item.kind];
            return (
              <Link
                key={item.kind}
                to="/queue/$ticketId"
                params={{ ticketId: item.ticketId }}
                className={classes.waitingRow}
              >
                <Icon size={18} aria-hidden />
                <div className={classes.minWidth0}>
                  <Text size="xs" c="dimmed">
                    {label} · {item.realmId}
                  </Text>
                  <Text size="sm" fw={550} className={classes.waitingSubject}>
                    <PlayerText value={item.subject} />
                  </Text>
                </div>
                <div>
                  <Text size="sm" className={classes.waitingTime}>
                    {formatDuration(now - new Date(item.createdAt).getTime())}
                  </Text>
                  <PriorityLabel priority={item.priority} />
                </div>
              </Link>
            );
          })}
        </Stack>
      )}
    </ChartCard>
  );
}

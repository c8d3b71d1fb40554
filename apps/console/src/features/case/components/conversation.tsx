import { Group, Paper, Stack, Text } from '@mantine/core';
import type { TicketMessage } from '../../../types/api';
import { RelativeTime } from '../../../ui/clock';
import { IconLock, IconMessageCircle } from '../../../ui/icons';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import classes from './case.module.css';

export function Conversation({
  messages,
  staffName,
}: {
  readonly messages: readonly TicketMessage[];
  readonly staffName: (staffId: string | null | undefined) => string;
}) {
  if (messages.length === 0) {
    return (
      <Stack align="center" gap={4} py="xl" c="dimmed">
        <IconMessageCircle size={28} stroke={1.4} />
        <Text size="sm">No messages yet. Reports are listed beside the conversation.</Text>
      </Stack>
    );
  }
  return (
    <ol className={classes.timeline} aria-label="Conversation">
      {messages.map((message) => {
        if (message.authorType === 'system') {
          return (
            <li key={message.id} className={classes.system} data-kind="system">
              <Text size="xs" c="dimmed">
                {message.body} · <RelativeTime at={message.createdAt} />
              </Text>
            </li>
          );
        }
        if (message.visibility === 'internal') {
          return (
            <li key={message.id} className={classes.noteItem} data-kind="internal-note">
              <Paper className={classes.note} radius="md" p="sm">
                <Group gap={6} mb={4}>
                  <IconLock size={14} aria-hidden />
                  <Text size="xs" fw={700} tt="uppercase" lts={0.4}>
                    Internal note
                  </Text>
                  <Text size="xs" c="dimmed">
                    {staffName(message.authorStaffId)} · <RelativeTime at={message.createdAt} />
                  </Text>
                </Group>
                <Text size="sm" className={classes.body}>
                  <PlayerText value={message.body} multiline />
                </Text>
              </Paper>
            </li>
          );
        }
        const fromStaff = message.authorType === 'staff';
        return (
          <li
            key={message.id}
            className={fromStaff ? classes.outgoing : classes.incoming}
            data-kind={fromStaff ? 'public-reply' : 'player-message'}
          >
            <div className={classes.bubbleMeta}>
              <Text size="xs" fw={600}>
                {fromStaff ? (
                  `${staffName(message.authorStaffId)} · reply to player`
                ) : (
                  <PlayerName player={message.authorPlayer} />
                )}
              </Text>
              <Text size="xs" c="dimmed">
                <RelativeTime at={message.createdAt} />
              </Text>
            </div>
            <div className={fromStaff ? classes.bubbleOut : classes.bubbleIn}>
              <Text size="sm" className={classes.body}>
                <PlayerText value={message.body} multiline />
              </Text>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

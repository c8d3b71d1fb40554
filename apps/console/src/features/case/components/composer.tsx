import type { MessageVisibility } from '@gmdesk/contracts';
import { Button, Group, Kbd, Paper, SegmentedControl, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { forwardRef, useRef } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { useStaffClient } from '../../../lib/staff-client';
import type { TicketDetail } from '../../../types/api';
import { IconLock, IconSend } from '../../../ui/icons';
import { caseKeys, sendMessage } from '../api';
import { useDraft } from '../hooks/use-drafts';
import classes from './case.module.css';

const TYPING_EVERY_MS = 3_000;

export const Composer = forwardRef<
  HTMLTextAreaElement,
  {
    readonly ticketId: string;
    readonly mode: MessageVisibility;
    readonly onModeChange: (mode: MessageVisibility) => void;
    readonly disabled: boolean;
    /** False for moderation cases: they have no requester to answer (notes only). */
    readonly canReply: boolean;
  }
>(function Composer({ ticketId, mode, onModeChange, disabled, canReply }, ref) {
  const queryClient = useQueryClient();
  const client = useStaffClient();
  const draft = useDraft(ticketId, mode);
  const lastTyping = useRef(0);
  const note = mode === 'internal';

  const send = useMutation({
    mutationFn: (input: { body: string; idempotencyKey: string; visibility: MessageVisibility }) =>
      sendMessage(ticketId, input),
    onSuccess: (message) => {
      queryClient.setQueryData<TicketDetail>(caseKeys.detail(ticketId), (detail) =>
        detail && !detail.messages.some((existing) => existing.id === message.id)
          ? { ...detail, messages: [...detail.messages, message] }
          : detail,
      );
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(ticketId) });
      draft.reset();
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: note ? 'The note was not saved' : 'The reply was not sent',
        message: `${errorMessage(error)} Your text is kept: send again to retry.`,
      }),
  });

  const submit = (): void => {
    const body = draft.body.trim();
    if (!body || send.isPending || disabled) {
      return;
    }
    send.mutate({ body, idempotencyKey: draft.idempotencyKey, visibility: mode });
  };

  const onType = (value: string): void => {
    draft.setBody(value);
    // Tell the other GMs on the case (and, for a reply, the player) that this GM is writing, at
    // most every few seconds. A note is flagged `internal`: the player is not told of it.
    if (client && value.trim() !== '' && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      client.typing(ticketId, { internal: note }).catch(() => undefined);
    }
  };

  return (
    <Paper className={note ? `${classes.composer} ${classes.composerNote}` : classes.composer}>
      <Group justify="space-between" mb={6}>
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(value) => onModeChange(value)}
          data={[
            {
              value: 'public',
              label: canReply ? 'Reply to player (r)' : 'Reply (no requester)',
              disabled: !canReply,
            },
            { value: 'internal', label: 'Internal note (n)' },
          ]}
          aria-label="Message type"
        />
        {note && (
          <Group gap={4} c="yellow.9">
            <IconLock size={14} aria-hidden />
            <Text size="xs" fw={600}>
              Only staff see notes
            </Text>
          </Group>
        )}
      </Group>
      <Textarea
        ref={ref}
        aria-label={note ? 'Internal note' : 'Reply to the player'}
        placeholder={
          note
            ? 'Write a note for staff (never shown to the player)…'
            : 'Write a reply to the player…'
        }
        autosize
        minRows={3}
        maxRows={10}
        maxLength={5000}
        value={draft.body}
        disabled={disabled}
        onChange={(event) => onType(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            submit();
          }
          if (event.key === 'Escape') {
            event.currentTarget.blur();
          }
        }}
        classNames={{ input: note ? classes.noteInput : undefined }}
      />
      <Group justify="space-between" mt={6}>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> to send · {draft.body.length}/5000
        </Text>
        <Button
          size="xs"
          color={note ? 'yellow' : 'blue'}
          variant={note ? 'light' : 'filled'}
          leftSection={note ? <IconLock size={14} /> : <IconSend size={14} />}
          loading={send.isPending}
          disabled={disabled || draft.body.trim().length === 0}
          onClick={submit}
        >
          {note ? 'Add note' : 'Send reply'}
        </Button>
      </Group>
    </Paper>
  );
});

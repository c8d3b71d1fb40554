import { SANCTION_TYPES, type SanctionType } from '@gmdesk/contracts';
import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage, newIdempotencyKey } from '../../../lib/api-client';
import type { PlayerRef, Sanction } from '../../../types/api';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import {
  DURATION_PRESETS,
  issueSanction,
  sanctionKeys,
  takesDuration,
  type IssueSanctionInput,
} from '../api';

const TYPE_LABELS: Record<SanctionType, string> = {
  warn: 'Warn',
  mute: 'Mute',
  kick: 'Kick',
  suspend: 'Suspend',
  ban: 'Ban',
};

export interface SanctionTarget {
  readonly realmId: string;
  readonly player: PlayerRef;
  /** The case the sanction resolves (linked on the sanction). */
  readonly ticketId?: string;
}

/**
 * Type, scope, duration, the reason the player reads and a note only staff read. One idempotency
 * key per opening of the dialog: a retried submit (slow network, double click) sanctions once.
 */
export function SanctionDialog({
  opened,
  onClose,
  target,
  onIssued,
}: {
  readonly opened: boolean;
  readonly onClose: () => void;
  readonly target: SanctionTarget;
  readonly onIssued?: (sanction: Sanction) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Sanction player" size="lg" centered>
      {/* Remounted per opening: a fresh form and a fresh idempotency key. */}
      {opened && <SanctionForm target={target} onClose={onClose} onIssued={onIssued} />}
    </Modal>
  );
}

function SanctionForm({
  target,
  onClose,
  onIssued,
}: {
  readonly target: SanctionTarget;
  readonly onClose: () => void;
  readonly onIssued?: (sanction: Sanction) => void;
}) {
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => newIdempotencyKey('sanction'));
  const [type, setType] = useState<SanctionType>('mute');
  const [duration, setDuration] = useState<string>(String(24 * 60));
  const [publicReason, setPublicReason] = useState('');
  const [privateNote, setPrivateNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const issue = useMutation({
    mutationFn: (input: IssueSanctionInput) => issueSanction(input, idempotencyKey),
    onSuccess: (sanction) => {
      void queryClient.invalidateQueries({ queryKey: sanctionKeys.lists() });
      onIssued?.(sanction);
      onClose();
    },
  });
  const minutes =
    takesDuration(type) && duration !== 'permanent' ? Number.parseInt(duration, 10) : undefined;
  // Ban and suspend keep a player out of the game: they take a second, explicit confirmation.
  const severe = type === 'ban' || type === 'suspend';
  const reasonMissing = publicReason.trim() === '';

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (reasonMissing || issue.isPending) {
      return;
    }
    if (severe && !confirming) {
      setConfirming(true);
      return;
    }
    issue.mutate({
      realmId: target.realmId,
      playerId: target.player.accountId,
      type,
      publicReason: publicReason.trim(),
      ...(privateNote.trim() && { privateReason: privateNote.trim() }),
      ...(minutes !== undefined && { durationMinutes: minutes }),
      ...(target.ticketId && { ticketId: target.ticketId }),
    });
  };

  return (
    <form onSubmit={submit} aria-label="Sanction">
      <Stack gap="md">
        <Text size="sm">
          Player{' '}
          <b>
            <PlayerName player={target.player} />
          </b>{' '}
          <Text span size="xs" c="dimmed" ff="monospace">
            (<PlayerText value={target.player.accountId} />)
          </Text>
        </Text>
        <div>
          <Text size="sm" fw={500} mb={4} id="sanction-type-label">
            Type
          </Text>
          <SegmentedControl
            aria-labelledby="sanction-type-label"
            fullWidth
            value={type}
            onChange={(value) => {
              setType(value);
              setConfirming(false);
            }}
            data={SANCTION_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))}
          />
        </div>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Scope
          </Text>
          <Text size="sm">
            Realm <b>{target.realmId}</b>: every game server of the realm receives it and must
            acknowledge it.
          </Text>
        </div>
        {takesDuration(type) ? (
          <div>
            <Text size="sm" fw={500} mb={4} id="sanction-duration-label">
              Duration
            </Text>
            <SegmentedControl
              aria-labelledby="sanction-duration-label"
              fullWidth
              value={duration}
              onChange={setDuration}
              data={DURATION_PRESETS.map((preset) => ({
                value: preset.minutes === null ? 'permanent' : String(preset.minutes),
                label: preset.label,
              }))}
            />
          </div>
        ) : (
          <Text size="sm" c="dimmed">
            {TYPE_LABELS[type]} happens once: no duration.
          </Text>
        )}
        <Textarea
          label="Public reason"
          description="Shown to the player: the statement of reasons."
          required
          autosize
          minRows={2}
          maxLength={1000}
          value={publicReason}
          onChange={(event) => setPublicReason(event.currentTarget.value)}
          data-autofocus
        />
        <Textarea
          label="Private note"
          description="Staff only: never sent to the player or the game."
          autosize
          minRows={2}
          maxLength={2000}
          value={privateNote}
          onChange={(event) => setPrivateNote(event.currentTarget.value)}
        />
        {issue.isError && (
          <Alert color="red" title="The sanction was not issued">
            {errorMessage(issue.error)}
          </Alert>
        )}
        {confirming && (
          <Alert color="orange" title={`Confirm the ${type}`}>
            The player is kept out of the game{' '}
            {minutes === undefined ? 'for good' : 'for the chosen time'}. Press{' '}
            <b>Confirm {type}</b> to issue it.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            color={severe ? 'red' : 'blue'}
            loading={issue.isPending}
            disabled={reasonMissing}
          >
            {confirming ? `Confirm ${type}` : `Issue ${type}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

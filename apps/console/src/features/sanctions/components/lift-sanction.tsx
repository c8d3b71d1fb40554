import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useMe } from '../../../app/session';
import { errorMessage } from '../../../lib/api-client';
import type { Sanction } from '../../../types/api';
import { revokeSanction, sanctionKeys } from '../api';

/**
 * Lifts a sanction in force (moderators and admins): game servers receive `sanction.revoked`,
 * and each chip goes lifting… → lifted as they acknowledge it.
 */
export function LiftSanction({ sanction }: { readonly sanction: Sanction }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  if (me.role === 'agent' || !sanction.active) {
    return null;
  }
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        color="gray"
        aria-label={`Lift ${sanction.type}`}
        onClick={() => setOpen(true)}
      >
        Lift
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Lift ${sanction.type}`} centered>
        {open && <LiftForm sanction={sanction} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function LiftForm({
  sanction,
  onDone,
}: {
  readonly sanction: Sanction;
  readonly onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const lift = useMutation({
    mutationFn: () => revokeSanction(sanction.id, reason.trim()),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: sanctionKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: sanctionKeys.detail(sanction.id) });
      onDone();
    },
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (reason.trim() && !lift.isPending) {
      lift.mutate();
    }
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">
          Every game server of the realm is told to lift it and must acknowledge.
        </Text>
        <Textarea
          label="Why it is lifted"
          description="Staff only; stored and audited."
          required
          autosize
          minRows={2}
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          data-autofocus
        />
        {lift.isError && <Alert color="red">{errorMessage(lift.error)}</Alert>}
        <Group justify="flex-end">
          <Button type="submit" color="red" loading={lift.isPending} disabled={!reason.trim()}>
            Lift sanction
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

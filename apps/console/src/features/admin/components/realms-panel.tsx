import { Alert, Button, Group, Modal, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { RelativeTime } from '../../../ui/clock';
import { adminKeys, createRealm, fetchRealms } from '../api';
import { SecretOnce } from './secret-once';

export function RealmsPanel() {
  const queryClient = useQueryClient();
  const realms = useQuery({
    queryKey: adminKeys.realms(),
    queryFn: ({ signal }) => fetchRealms(signal),
  });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Paper withBorder p="md" role="region" aria-label="Realms">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>Realms</Text>
        <Button size="xs" onClick={() => setCreating(true)}>
          New realm
        </Button>
      </Group>
      {realms.isError && <Text c="red">{errorMessage(realms.error)}</Text>}
      <Table fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Id</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(realms.data ?? []).map((realm) => (
            <Table.Tr key={realm.id}>
              <Table.Td ff="monospace">{realm.id}</Table.Td>
              <Table.Td>{realm.name}</Table.Td>
              <Table.Td>
                <RelativeTime at={realm.createdAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New realm" centered>
        {creating && (
          <CreateRealmForm
            onCreated={(created) => {
              setCreating(false);
              setSecret(created);
              void queryClient.invalidateQueries({ queryKey: adminKeys.realms() });
            }}
          />
        )}
      </Modal>
      <SecretOnce
        secret={secret}
        title="Realm created"
        label="Player-token secret (HS256)"
        onClose={() => setSecret(null)}
      />
    </Paper>
  );
}

function CreateRealmForm({ onCreated }: { readonly onCreated: (secret: string) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => createRealm({ id: id.trim(), name: name.trim() }),
    onSuccess: (created) => onCreated(created.playerTokenSecret),
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput
          label="Realm id"
          description="Lower-case letters, digits and dashes; game tokens name it."
          required
          maxLength={40}
          value={id}
          onChange={(event) => setId(event.currentTarget.value)}
          data-autofocus
        />
        <TextInput
          label="Name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
        />
        {create.isError && <Alert color="red">{errorMessage(create.error)}</Alert>}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!id.trim() || !name.trim()}>
            Create realm
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

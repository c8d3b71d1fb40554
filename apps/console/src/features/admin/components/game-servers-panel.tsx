import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../../lib/api-client';
import type { GameServer } from '../../../types/api';
import { RelativeTime } from '../../../ui/clock';
import {
  adminKeys,
  createGameServer,
  fetchGameServers,
  fetchRealms,
  revokeGameServer,
} from '../api';
import { SecretOnce } from './secret-once';

export function GameServersPanel() {
  const queryClient = useQueryClient();
  const realms = useQuery({
    queryKey: adminKeys.realms(),
    queryFn: ({ signal }) => fetchRealms(signal),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const realmId = chosen ?? realms.data?.[0]?.id ?? null;
  const servers = useQuery({
    queryKey: adminKeys.gameServers(realmId ?? ''),
    queryFn: ({ signal }) => fetchGameServers(realmId!, signal),
    enabled: realmId !== null,
  });
  const [creating, setCreating] = useState(false);
  const [key, setKey] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<GameServer | null>(null);
  const refresh = (): void => {
    if (realmId) {
      void queryClient.invalidateQueries({ queryKey: adminKeys.gameServers(realmId) });
    }
  };
  const revoke = useMutation({
    mutationFn: (server: GameServer) => revokeGameServer(server.id),
    onSuccess: () => {
      setRevoking(null);
      refresh();
    },
  });
  return (
    <Paper withBorder p="md" role="region" aria-label="Game servers">
      <Group justify="space-between" mb="sm">
        <Group gap="sm">
          <Text fw={600}>Game servers</Text>
          <Select
            size="xs"
            w={200}
            aria-label="Realm of the game servers"
            data={(realms.data ?? []).map((realm) => ({ value: realm.id, label: realm.id }))}
            value={realmId}
            allowDeselect={false}
            onChange={setChosen}
          />
        </Group>
        <Button size="xs" disabled={!realmId} onClick={() => setCreating(true)}>
          New game server
        </Button>
      </Group>
      {servers.isError && <Text c="red">{errorMessage(servers.error)}</Text>}
      <Table fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Key id</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(servers.data ?? []).map((server) => (
            <Table.Tr key={server.id} data-server-id={server.id}>
              <Table.Td>{server.name}</Table.Td>
              <Table.Td ff="monospace">{server.keyId}</Table.Td>
              <Table.Td>
                <RelativeTime at={server.createdAt} />
              </Table.Td>
              <Table.Td>
                {server.revokedAt ? (
                  <Badge size="sm" color="red" variant="light">
                    revoked
                  </Badge>
                ) : (
                  <Badge size="sm" color="green" variant="light">
                    active
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!server.revokedAt && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Revoke ${server.name}`}
                    onClick={() => setRevoking(server)}
                  >
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New game server" centered>
        {creating && realmId && (
          <CreateServerForm
            realmId={realmId}
            onCreated={(apiKey) => {
              setCreating(false);
              setKey(apiKey);
              refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke game server key"
        centered
      >
        <Stack gap="sm">
          <Text size="sm">
            <b>{revoking?.name}</b> is disconnected at once and its key stops working. This cannot
            be undone: a replacement server needs a new key.
          </Text>
          {revoke.isError && <Alert color="red">{errorMessage(revoke.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
            >
              Revoke key
            </Button>
          </Group>
        </Stack>
      </Modal>
      <SecretOnce
        secret={key}
        title="Game server registered"
        label="API key (Authorization: ApiKey …)"
        onClose={() => setKey(null)}
      />
    </Paper>
  );
}

function CreateServerForm({
  realmId,
  onCreated,
}: {
  readonly realmId: string;
  readonly onCreated: (apiKey: string) => void;
}) {
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => createGameServer(realmId, name.trim()),
    onSuccess: (created) => onCreated(created.apiKey),
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">
          In realm <b>{realmId}</b>
        </Text>
        <TextInput
          label="Server name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          data-autofocus
        />
        {create.isError && <Alert color="red">{errorMessage(create.error)}</Alert>}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Register server
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

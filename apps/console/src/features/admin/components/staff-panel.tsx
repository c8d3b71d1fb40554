import { STAFF_ROLES, type StaffRole } from '@gmdesk/contracts';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useMe } from '../../../app/session';
import { errorMessage } from '../../../lib/api-client';
import { staffKeys } from '../../../lib/staff-directory';
import type { StaffMember } from '../../../types/api';
import {
  adminKeys,
  createStaff,
  fetchRealms,
  fetchStaff,
  updateStaff,
  type UpdateStaffInput,
} from '../api';

const ROLE_OPTIONS = STAFF_ROLES.map((value) => ({ value, label: value }));

export function StaffPanel() {
  const me = useMe();
  const queryClient = useQueryClient();
  const staff = useQuery({
    queryKey: adminKeys.staff(),
    queryFn: ({ signal }) => fetchStaff(signal),
  });
  const realms = useQuery({
    queryKey: adminKeys.realms(),
    queryFn: ({ signal }) => fetchRealms(signal),
  });
  const realmOptions = (realms.data ?? []).map((realm) => realm.id);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<StaffMember | null>(null);
  const refresh = (): void => {
    void queryClient.invalidateQueries({ queryKey: adminKeys.staff() });
    void queryClient.invalidateQueries({ queryKey: staffKeys.directory() });
  };
  return (
    <Paper withBorder p="md" role="region" aria-label="Staff">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>Staff</Text>
        <Button size="xs" onClick={() => setCreating(true)}>
          New staff member
        </Button>
      </Group>
      {staff.isError && <Text c="red">{errorMessage(staff.error)}</Text>}
      <Table fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Username</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Realms</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(staff.data ?? []).map((member) => (
            <Table.Tr key={member.id} data-staff-id={member.id}>
              <Table.Td>{member.displayName}</Table.Td>
              <Table.Td ff="monospace">{member.username}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge size="xs" variant="light">
                    {member.role}
                  </Badge>
                  {member.disabled && (
                    <Badge size="xs" color="red" variant="light">
                      disabled
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {member.realms.length === 0 ? (
                  <Text span size="xs" c="dimmed">
                    all realms
                  </Text>
                ) : (
                  member.realms.join(', ')
                )}
              </Table.Td>
              <Table.Td>
                {member.id !== me.id && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    aria-label={`Edit ${member.username}`}
                    onClick={() => setEditing(member)}
                  >
                    Edit
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New staff member" centered>
        {creating && (
          <CreateStaffForm
            realmOptions={realmOptions}
            onCreated={() => {
              setCreating(false);
              refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Edit ${editing?.displayName ?? ''}`}
        centered
      >
        {editing && (
          <EditStaffForm
            member={editing}
            realmOptions={realmOptions}
            onSaved={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Modal>
    </Paper>
  );
}

function CreateStaffForm({
  realmOptions,
  onCreated,
}: {
  readonly realmOptions: readonly string[];
  readonly onCreated: () => void;
}) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
  const [password, setPassword] = useState('');
  const [realms, setRealms] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      createStaff({
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        password,
        realms,
      }),
    onSuccess: onCreated,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <TextInput
          label="Username"
          required
          maxLength={64}
          value={username}
          onChange={(event) => setUsername(event.currentTarget.value)}
          data-autofocus
        />
        <TextInput
          label="Display name"
          description="Players see it on replies."
          required
          maxLength={100}
          value={displayName}
          onChange={(event) => setDisplayName(event.currentTarget.value)}
        />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          value={role}
          allowDeselect={false}
          onChange={(value) => value && setRole(value)}
        />
        <PasswordInput
          label="Initial password"
          description="At least 12 characters; hand it over out of band."
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
        />
        <MultiSelect
          label="Realms"
          description="None chosen: every realm."
          data={[...realmOptions]}
          value={realms}
          onChange={setRealms}
          clearable
        />
        {create.isError && <Alert color="red">{errorMessage(create.error)}</Alert>}
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!username.trim() || !displayName.trim() || password.length < 12}
          >
            Create staff member
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EditStaffForm({
  member,
  realmOptions,
  onSaved,
}: {
  readonly member: StaffMember;
  readonly realmOptions: readonly string[];
  readonly onSaved: () => void;
}) {
  const [role, setRole] = useState<StaffRole>(member.role);
  const [realms, setRealms] = useState<string[]>([...member.realms]);
  const [disabled, setDisabled] = useState(member.disabled);
  const save = useMutation({
    mutationFn: () => {
      const changes: UpdateStaffInput = {
        ...(role !== member.role && { role }),
        ...(realms.join(',') !== member.realms.join(',') && { realms }),
        ...(disabled !== member.disabled && { disabled }),
      };
      return updateStaff(member.id, changes);
    },
    onSuccess: onSaved,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          value={role}
          allowDeselect={false}
          onChange={(value) => value && setRole(value)}
        />
        <MultiSelect
          label="Realms"
          description="None chosen: every realm."
          data={[...new Set([...realmOptions, ...member.realms])]}
          value={realms}
          onChange={setRealms}
          clearable
        />
        <Switch
          label="Disabled (cannot sign in; signed-in sessions end at once)"
          checked={disabled}
          onChange={(event) => setDisabled(event.currentTarget.checked)}
          color="red"
        />
        {save.isError && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

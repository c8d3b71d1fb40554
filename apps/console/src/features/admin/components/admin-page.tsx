import { Badge, Group, Paper, SimpleGrid, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Realm, StaffMember } from '../../../types/api';
import { NotYet, Page } from '../../../ui/page';

const adminKeys = {
  realms: () => ['admin', 'realms'] as const,
  staff: () => ['admin', 'staff'] as const,
};

export function AdminPage() {
  const realms = useQuery({
    queryKey: adminKeys.realms(),
    queryFn: ({ signal }) => api<Realm[]>('GET', '/realms', { signal }),
  });
  const staff = useQuery({
    queryKey: adminKeys.staff(),
    queryFn: ({ signal }) => api<StaffMember[]>('GET', '/staff', { signal }),
  });
  return (
    <Page title="Admin" description="Realms and staff accounts.">
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md">
          <Text fw={600} mb="sm">
            Realms
          </Text>
          <Table fz="sm">
            <Table.Tbody>
              {(realms.data ?? []).map((realm) => (
                <Table.Tr key={realm.id}>
                  <Table.Td ff="monospace">{realm.id}</Table.Td>
                  <Table.Td>{realm.name}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md">
          <Text fw={600} mb="sm">
            Staff
          </Text>
          <Table fz="sm">
            <Table.Tbody>
              {(staff.data ?? []).map((member) => (
                <Table.Tr key={member.id}>
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
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      </SimpleGrid>
      <NotYet>
        Creating realms (secret shown once), game-server keys and staff accounts from here comes in
        the next phase; the api already has those routes.
      </NotYet>
    </Page>
  );
}

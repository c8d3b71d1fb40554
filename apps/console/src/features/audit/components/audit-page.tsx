import { Button, Code, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, errorMessage } from '../../../lib/api-client';
import type { Page as ApiPage, AuditEntry } from '../../../types/api';
import { RelativeTime } from '../../../ui/clock';
import { NotYet, Page } from '../../../ui/page';

const auditKeys = { list: () => ['audit', 'list'] as const };

export function AuditPage() {
  const query = useInfiniteQuery({
    queryKey: auditKeys.list(),
    queryFn: ({ pageParam, signal }) =>
      api<ApiPage<AuditEntry>>('GET', '/audit', {
        signal,
        query: { cursor: pageParam ?? undefined, limit: 100 },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page title="Audit log" description="Every staff action, newest first.">
      {query.isError && <NotYet>{errorMessage(query.error)}</NotYet>}
      <Table striped highlightOnHover withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Realm</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>
                <RelativeTime at={entry.at} />
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {entry.actorType} <Code>{entry.actorId.slice(0, 8)}</Code>
                </Text>
              </Table.Td>
              <Table.Td>
                <Code>{entry.action}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  {entry.targetType} <Code>{entry.targetId.slice(0, 12)}</Code>
                </Text>
              </Table.Td>
              <Table.Td>{entry.realmId ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {query.hasNextPage && (
        <Button
          variant="light"
          size="xs"
          w="fit-content"
          loading={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          Load more
        </Button>
      )}
    </Page>
  );
}

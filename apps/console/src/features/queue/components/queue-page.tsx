import { Group, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Outlet, useChildMatches, useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useMe } from '../../../app/session';
import { useStaffNames } from '../../../lib/staff-directory';
import {
  parseQueueFilters,
  queueKeys,
  serializeQueueFilters,
  type QueueFilters,
  type QueueMark,
} from '../api';
import { QueueFilterBar } from './queue-filters';
import { QueueList } from './queue-list';
import classes from './queue.module.css';

/** The live queue; with a case open it narrows to a column beside it (the queue stays in view). */
export function QueuePage() {
  const me = useMe();
  const search = useSearch({ from: '/signed-in/queue' });
  const filters = useMemo(() => parseQueueFilters(search), [search]);
  const navigate = useNavigate();
  const childMatches = useChildMatches();
  const openMatch = childMatches.find((match) => match.routeId === '/signed-in/queue/$ticketId');
  const openId = openMatch ? (openMatch.params as { ticketId: string }).ticketId : undefined;
  const compact = openId !== undefined;
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const selectedId = openId ?? selected;
  const staffNames = useStaffNames(me.role);
  const queryClient = useQueryClient();
  const { data: marks } = useQuery<Readonly<Record<string, QueueMark>>>({
    queryKey: queueKeys.marks(),
    queryFn: () => ({}),
    staleTime: Infinity,
    initialData: {},
  });
  // The open case is being looked at: its changes are seen, not news.
  useEffect(() => {
    if (openId && marks[openId]) {
      queryClient.setQueryData<Readonly<Record<string, QueueMark>>>(
        queueKeys.marks(),
        ({ [openId]: _seen, ...rest } = {}) => rest,
      );
    }
  }, [openId, marks, queryClient]);

  const setFilters = useCallback(
    (next: QueueFilters) => {
      void navigate({ to: '/queue', search: serializeQueueFilters(next) });
    },
    [navigate],
  );
  const open = useCallback(
    (ticketId: string) => {
      setSelected(ticketId);
      void navigate({
        to: '/queue/$ticketId',
        params: { ticketId },
        search: (previous) => previous,
      });
    },
    [navigate],
  );
  const select = useCallback(
    (ticketId: string) => {
      setSelected(ticketId);
      if (compact) {
        open(ticketId);
      }
    },
    [compact, open],
  );
  const filtered = Object.values(serializeQueueFilters(filters)).some(Boolean);
  const listKey = JSON.stringify(serializeQueueFilters(filters));

  return (
    <div className={classes.page}>
      <section
        className={classes.queuePane}
        data-compact={compact || undefined}
        aria-label="Queue pane"
      >
        <div className={classes.toolbar}>
          <Group justify="space-between" mb={compact ? 6 : 8} wrap="nowrap">
            <Title order={1} size="h4">
              Queue
            </Title>
            <Text size="xs" c="dimmed">
              {filters.assignee === 'me' ? 'Assigned to you' : 'Most urgent first'}
            </Text>
          </Group>
          <QueueFilterBar filters={filters} onChange={setFilters} compact={compact} />
        </div>
        <QueueList
          key={listKey}
          filters={filters}
          meId={me.id}
          staffNames={staffNames}
          compact={compact}
          selectedId={selectedId}
          onSelect={select}
          onOpen={open}
          onClearFilters={() => setFilters({})}
          filtered={filtered}
        />
      </section>
      {compact && (
        <section className={classes.casePane} aria-label="Case">
          <Outlet />
        </section>
      )}
    </div>
  );
}

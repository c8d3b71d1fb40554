import type { TicketSummaryEvent } from '@gmdesk/contracts';
import { Alert, Button, Skeleton, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { useShortcuts } from '../../../lib/shortcuts';
import { assigneeLabel } from '../../../lib/staff-directory';
import type { Ticket } from '../../../types/api';
import { IconArrowUp, IconInbox } from '../../../ui/icons';
import {
  fetchQueuePage,
  matchesFilters,
  queueKeys,
  type QueueFilters,
  type QueueMark,
} from '../api';
import { useClaim } from '../hooks/use-claim';
import { useStableOrder } from '../hooks/use-stable-order';
import { QueueRow } from './queue-row';
import classes from './queue.module.css';

const ROW_HEIGHT = 36;
const COMPACT_ROW_HEIGHT = 54;

export interface QueueListProps {
  readonly filters: QueueFilters;
  readonly meId: string;
  readonly staffNames: ReadonlyMap<string, string>;
  readonly compact: boolean;
  readonly selectedId: string | undefined;
  readonly onSelect: (ticketId: string) => void;
  readonly onOpen: (ticketId: string) => void;
  readonly onClearFilters: () => void;
  readonly filtered: boolean;
}

export function QueueList({
  filters,
  meId,
  staffNames,
  compact,
  selectedId,
  onSelect,
  onOpen,
  onClearFilters,
  filtered,
}: QueueListProps) {
  const queryClient = useQueryClient();
  const scroller = useRef<HTMLDivElement>(null);
  const query = useInfiniteQuery({
    queryKey: queueKeys.list(filters, meId),
    queryFn: ({ pageParam, signal }) => fetchQueuePage(filters, meId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const { data: arrivals = [] } = useQuery<readonly TicketSummaryEvent[]>({
    queryKey: queueKeys.arrivals(),
    queryFn: () => [],
    staleTime: Infinity,
    initialData: [],
  });
  const { data: marks = {} } = useQuery<Readonly<Record<string, QueueMark>>>({
    queryKey: queueKeys.marks(),
    queryFn: () => ({}),
    staleTime: Infinity,
    initialData: {},
  });

  const { byId, serverIds } = useMemo(() => {
    const map = new Map<string, Ticket>();
    const ids: string[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const ticket of page.items) {
        if (!map.has(ticket.id)) {
          map.set(ticket.id, ticket);
          ids.push(ticket.id);
        }
      }
    }
    return { byId: map, serverIds: ids };
  }, [query.data]);

  // Rows that left the list keep their last known data until the GM refreshes the view.
  const lastKnown = useRef(new Map<string, Ticket>());
  useEffect(() => {
    for (const [id, ticket] of byId) {
      lastKnown.current.set(id, ticket);
    }
  }, [byId]);

  const order = useStableOrder(serverIds);
  const shown = useMemo(() => new Set(order.ids), [order.ids]);
  const waiting = useMemo(() => {
    const ids = new Set(order.held);
    for (const arrival of arrivals) {
      if (!shown.has(arrival.ticketId) && matchesFilters(arrival, filters, meId)) {
        ids.add(arrival.ticketId);
      }
    }
    return ids;
  }, [order.held, arrivals, shown, filters, meId]);

  const rowHeight = compact ? COMPACT_ROW_HEIGHT : ROW_HEIGHT;
  // The virtualizer re-renders the list itself; nothing here relies on compiler memoization.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: order.ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= order.ids.length - 25) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastIndex, order.ids.length]);

  const showNew = useCallback(() => {
    queryClient.setQueryData<readonly TicketSummaryEvent[]>(queueKeys.arrivals(), (list = []) =>
      list.filter((arrival) => !waiting.has(arrival.ticketId)),
    );
    order.adopt();
    void query.refetch();
    scroller.current?.scrollTo({ top: 0 });
  }, [queryClient, waiting, order, query]);

  // With no rows on screen nothing can move: show arrivals at once.
  const isEmpty = order.ids.length === 0 && query.isSuccess && !query.isFetching;
  useEffect(() => {
    if (isEmpty && waiting.size > 0) {
      showNew();
    }
  }, [isEmpty, waiting.size, showNew]);

  const claim = useClaim(meId);
  const selectedIndex = selectedId ? order.ids.indexOf(selectedId) : -1;
  const move = (delta: number): void => {
    if (order.ids.length === 0) {
      return;
    }
    const index =
      selectedIndex < 0 ? 0 : Math.min(order.ids.length - 1, Math.max(0, selectedIndex + delta));
    onSelect(order.ids[index]);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };
  // Beside an open case, Enter and c belong to the case view: a key bound here would be taken
  // (and its default prevented) before the case view sees it.
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    ...(!compact && {
      Enter: () => {
        if (selectedId) {
          onOpen(selectedId);
        }
      },
      c: () => {
        const ticket = selectedId ? byId.get(selectedId) : undefined;
        if (ticket) {
          claim.toggle(ticket);
        }
      },
    }),
  });

  if (query.isPending) {
    return (
      <Stack gap={6} p="sm" aria-busy="true" aria-label="Loading the queue">
        {Array.from({ length: 10 }, (_, index) => (
          <Skeleton key={index} height={rowHeight - 8} radius="sm" />
        ))}
      </Stack>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" m="md" title="The queue could not be loaded">
        <Text size="sm">{errorMessage(query.error)}</Text>
        <Button size="xs" mt="sm" variant="light" onClick={() => void query.refetch()}>
          Retry
        </Button>
      </Alert>
    );
  }

  return (
    <div className={classes.listWrap}>
      <VisuallyHidden aria-live="polite" role="status">
        {waiting.size > 0 ? `${waiting.size} new in the queue` : ''}
      </VisuallyHidden>
      {waiting.size > 0 && (
        <Button
          className={classes.pill}
          size="compact-sm"
          radius="xl"
          leftSection={<IconArrowUp size={14} />}
          onClick={showNew}
        >
          {waiting.size} new
        </Button>
      )}
      {!compact && (
        <div className={classes.header} aria-hidden>
          <span />
          <span>Priority</span>
          <span />
          <span>Subject</span>
          <span>Player</span>
          <span>Category</span>
          <span>Realm</span>
          <span>Status</span>
          <span>Reports</span>
          <span>SLA</span>
          <span>Assignee</span>
          <span style={{ textAlign: 'right' }}>Age</span>
        </div>
      )}
      {order.ids.length === 0 ? (
        <Stack align="center" gap={6} p="xl" c="dimmed">
          <IconInbox size={32} stroke={1.4} />
          <Text fw={600} c="var(--mantine-color-text)">
            Nothing in this view
          </Text>
          <Text size="sm" ta="center">
            {filtered
              ? 'No open item matches these filters.'
              : 'No open cases or tickets. New ones appear here as they arrive.'}
          </Text>
          {filtered && (
            <Button size="xs" variant="light" onClick={onClearFilters}>
              Clear filters
            </Button>
          )}
        </Stack>
      ) : (
        <div
          ref={scroller}
          className={classes.scroller}
          role="listbox"
          aria-label="Queue"
          tabIndex={0}
          aria-activedescendant={selectedId ? `queue-row-${selectedId}` : undefined}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const id = order.ids[item.index];
              const ticket = byId.get(id) ?? lastKnown.current.get(id);
              if (!ticket) {
                return null;
              }
              return (
                <QueueRow
                  key={id}
                  ticket={ticket}
                  compact={compact}
                  selected={id === selectedId}
                  mark={marks[id]}
                  departed={order.departed.has(id)}
                  assignee={assigneeLabel(ticket.assigneeId, meId, staffNames)}
                  top={item.start}
                  height={item.size}
                  onOpen={onOpen}
                />
              );
            })}
          </div>
        </div>
      )}
      <div className={classes.footer}>
        <span>
          {order.ids.length} shown{hasNextPage ? ' · more below' : ''}
          {isFetchingNextPage ? ' · loading…' : ''}
        </span>
        {!compact && <span>j / k move · Enter open · c claim · ? help</span>}
      </div>
    </div>
  );
}

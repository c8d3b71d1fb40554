import {
  CATEGORY_GROUPS,
  SUPPORT_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketStatus,
} from '@gmdesk/contracts';
import { Button, Group, Popover, SegmentedControl, Select, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Realm } from '../../../types/api';
import { IconFilter } from '../../../ui/icons';
import { DEFAULT_STATUSES, type QueueFilters } from '../api';

const realmKeys = { list: () => ['realms', 'list'] as const };

const STATUS_VIEWS: readonly { value: string; label: string }[] = [
  { value: DEFAULT_STATUSES.join(','), label: 'Active' },
  ...TICKET_STATUSES.map((status) => ({ value: status, label: `Only ${status}` })),
  { value: TICKET_STATUSES.join(','), label: 'Any status' },
];

function statusValue(filters: QueueFilters): string {
  return (filters.status ?? DEFAULT_STATUSES).join(',');
}

function FilterSelects({
  filters,
  set,
  width,
}: {
  readonly filters: QueueFilters;
  readonly set: (patch: Partial<QueueFilters>) => void;
  readonly width: number | string;
}) {
  const { data: realms } = useQuery({
    queryKey: realmKeys.list(),
    queryFn: ({ signal }) => api<Realm[]>('GET', '/realms', { signal }),
    staleTime: 5 * 60_000,
  });
  const categories =
    filters.kind === 'support'
      ? SUPPORT_CATEGORIES
      : filters.kind === 'moderation'
        ? CATEGORY_GROUPS
        : [...CATEGORY_GROUPS, ...SUPPORT_CATEGORIES.filter((c) => c !== 'other')];
  const current = statusValue(filters);
  const statusData = STATUS_VIEWS.some((view) => view.value === current)
    ? STATUS_VIEWS
    : [...STATUS_VIEWS, { value: current, label: current.replaceAll(',', ', ') }];
  return (
    <>
      <Select
        size="xs"
        aria-label="Status"
        w={width}
        data={statusData}
        value={current}
        allowDeselect={false}
        onChange={(value) =>
          set({
            status:
              value && value !== DEFAULT_STATUSES.join(',')
                ? (value.split(',') as TicketStatus[])
                : undefined,
          })
        }
      />
      <Select
        size="xs"
        aria-label="Priority"
        placeholder="Any priority"
        w={width}
        clearable
        data={TICKET_PRIORITIES.map((priority) => ({ value: priority, label: priority }))}
        value={filters.priority ?? null}
        onChange={(value) => set({ priority: value ?? undefined })}
      />
      <Select
        size="xs"
        aria-label="Category"
        placeholder="Any category"
        w={width}
        clearable
        data={categories.map((category) => ({ value: category, label: category }))}
        value={filters.category ?? null}
        onChange={(value) => set({ category: value ?? undefined })}
      />
      <Select
        size="xs"
        aria-label="Realm"
        placeholder="Any realm"
        w={width}
        clearable
        data={(realms ?? []).map((realm) => ({ value: realm.id, label: realm.name || realm.id }))}
        value={filters.realmId ?? null}
        onChange={(value) => set({ realmId: value ?? undefined })}
      />
      <Select
        size="xs"
        aria-label="Assignee"
        placeholder="Anyone"
        w={width}
        clearable
        data={[
          { value: 'me', label: 'Mine' },
          { value: 'none', label: 'Unassigned' },
        ]}
        value={filters.assignee === 'me' || filters.assignee === 'none' ? filters.assignee : null}
        onChange={(value) => set({ assignee: value ?? undefined })}
      />
    </>
  );
}

/** Kind, status, priority, category, realm and assignee; kept in the URL by the page. */
export function QueueFilterBar({
  filters,
  onChange,
  compact,
}: {
  readonly filters: QueueFilters;
  readonly onChange: (filters: QueueFilters) => void;
  readonly compact: boolean;
}) {
  const set = (patch: Partial<QueueFilters>): void => onChange({ ...filters, ...patch });
  const active = [
    filters.status,
    filters.priority,
    filters.category,
    filters.realmId,
    filters.assignee,
  ].filter(Boolean).length;
  const kind = (
    <SegmentedControl
      size="xs"
      aria-label="Kind"
      value={filters.kind ?? 'all'}
      onChange={(value) =>
        set({
          kind: value === 'moderation' || value === 'support' ? value : undefined,
          category: undefined,
        })
      }
      data={[
        { value: 'all', label: 'All' },
        { value: 'moderation', label: 'Cases' },
        { value: 'support', label: 'Support' },
      ]}
    />
  );
  if (compact) {
    // Beside an open case the column is narrow: the other filters fold into a popover.
    return (
      <Group gap="xs" wrap="nowrap" justify="space-between">
        {kind}
        <Popover position="bottom-end" shadow="md" withArrow>
          <Popover.Target>
            <Button
              size="compact-sm"
              variant={active > 0 ? 'light' : 'subtle'}
              color="gray"
              leftSection={<IconFilter size={14} />}
            >
              Filters{active > 0 ? ` (${active})` : ''}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs" w={200}>
              <FilterSelects filters={filters} set={set} width="100%" />
            </Stack>
          </Popover.Dropdown>
        </Popover>
      </Group>
    );
  }
  return (
    <Group gap="xs" wrap="wrap">
      {kind}
      <FilterSelects filters={filters} set={set} width={140} />
    </Group>
  );
}

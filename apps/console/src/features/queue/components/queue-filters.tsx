import {
  CATEGORY_GROUPS,
  SUPPORT_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '@gmdesk/contracts';
import { Group, MultiSelect, SegmentedControl, Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Realm } from '../../../types/api';
import { DEFAULT_STATUSES, type QueueFilters } from '../api';

const realmKeys = { list: () => ['realms', 'list'] as const };

export function QueueFilterBar({
  filters,
  onChange,
  compact,
}: {
  readonly filters: QueueFilters;
  readonly onChange: (filters: QueueFilters) => void;
  readonly compact: boolean;
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
  const set = (patch: Partial<QueueFilters>): void => onChange({ ...filters, ...patch });

  return (
    <Group gap="xs" wrap={compact ? 'wrap' : 'nowrap'}>
      <SegmentedControl
        size="xs"
        aria-label="Kind"
        value={filters.kind ?? 'all'}
        onChange={(value) =>
          set({ kind: value === 'all' ? undefined : value, category: undefined })
        }
        data={[
          { value: 'all', label: 'All' },
          { value: 'moderation', label: 'Cases' },
          { value: 'support', label: 'Support' },
        ]}
      />
      <MultiSelect
        size="xs"
        aria-label="Status"
        placeholder="Status"
        w={compact ? 150 : 200}
        data={TICKET_STATUSES.map((status) => ({ value: status, label: status }))}
        value={[...(filters.status ?? DEFAULT_STATUSES)]}
        onChange={(value) => set({ status: value.length > 0 ? value : undefined })}
      />
      <Select
        size="xs"
        aria-label="Priority"
        placeholder="Any priority"
        w={compact ? 110 : 130}
        clearable
        data={TICKET_PRIORITIES.map((priority) => ({ value: priority, label: priority }))}
        value={filters.priority ?? null}
        onChange={(value) => set({ priority: value ?? undefined })}
      />
      <Select
        size="xs"
        aria-label="Category"
        placeholder="Any category"
        w={compact ? 130 : 150}
        clearable
        data={categories.map((category) => ({ value: category, label: category }))}
        value={filters.category ?? null}
        onChange={(value) => set({ category: value ?? undefined })}
      />
      <Select
        size="xs"
        aria-label="Realm"
        placeholder="Any realm"
        w={compact ? 120 : 140}
        clearable
        data={(realms ?? []).map((realm) => ({ value: realm.id, label: realm.name || realm.id }))}
        value={filters.realmId ?? null}
        onChange={(value) => set({ realmId: value ?? undefined })}
      />
      <Select
        size="xs"
        aria-label="Assignee"
        placeholder="Anyone"
        w={compact ? 120 : 130}
        clearable
        data={[
          { value: 'me', label: 'Mine' },
          { value: 'none', label: 'Unassigned' },
        ]}
        value={filters.assignee === 'me' || filters.assignee === 'none' ? filters.assignee : null}
        onChange={(value) => set({ assignee: value ?? undefined })}
      />
    </Group>
  );
}

import { SANCTION_TYPES, type SanctionType } from '@gmdesk/contracts';
import { Anchor, Button, Group, SegmentedControl, Select, Stack } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { NotYet, Page } from '../../../ui/page';
import { PlayerText } from '../../../ui/player-text';
import { fetchSanctions, sanctionKeys, type SanctionFilters } from '../api';
import { SanctionTable } from './sanction-list';

type ActiveFilter = 'all' | 'active' | 'ended';

/** Every sanction in the GM's realms, newest first, with where each game server stands. */
export function SanctionsPage() {
  const [type, setType] = useState<SanctionType | null>(null);
  const [active, setActive] = useState<ActiveFilter>('all');
  const filters: SanctionFilters = {
    ...(type && { type }),
    ...(active !== 'all' && { active: active === 'active' }),
  };
  const list = useInfiniteQuery({
    queryKey: sanctionKeys.list(filters),
    queryFn: ({ pageParam, signal }) => fetchSanctions(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const sanctions = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Page
      title="Sanctions"
      description="Issued sanctions in your realms and their enforcement on each game server."
    >
      <Group gap="sm">
        <Select
          size="xs"
          w={140}
          aria-label="Type"
          placeholder="Any type"
          clearable
          data={SANCTION_TYPES.map((value) => ({ value, label: value }))}
          value={type}
          onChange={(value) => setType(value)}
        />
        <SegmentedControl
          size="xs"
          aria-label="In force"
          value={active}
          onChange={(value) => setActive(value)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'active', label: 'In force' },
            { value: 'ended', label: 'Ended' },
          ]}
        />
      </Group>
      {list.isError && <NotYet>{errorMessage(list.error)}</NotYet>}
      <Stack gap="xs">
        <SanctionTable
          sanctions={sanctions}
          empty={list.isPending ? 'Loading…' : 'No sanction matches these filters.'}
          lead={{
            title: 'Player',
            cell: (sanction) => (
              <Anchor
                size="sm"
                renderRoot={(props) => (
                  <Link
                    {...props}
                    to="/players/$realmId/$accountId"
                    params={{ realmId: sanction.realmId, accountId: sanction.playerId }}
                  />
                )}
              >
                <PlayerText value={sanction.playerId} />
              </Anchor>
            ),
          }}
        />
        {list.hasNextPage && (
          <Button
            variant="default"
            size="xs"
            w="fit-content"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            Load more
          </Button>
        )}
      </Stack>
    </Page>
  );
}

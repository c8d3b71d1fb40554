import { Anchor, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { Page } from '../../../ui/page';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import { playerKeys, searchPlayers } from '../api';

/** Find a player by account id or display name (prefix) in the GM's realms; Enter opens the first. */
export function PlayerSearch({ autoFocus = false }: { readonly autoFocus?: boolean }) {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 200);
  const results = useQuery({
    queryKey: playerKeys.search(q, null),
    queryFn: ({ signal }) => searchPlayers(q, null, signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
  const items = q.length > 0 ? (results.data?.items ?? []) : [];
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    const first = items[0];
    if (event.key === 'Enter' && first) {
      event.preventDefault();
      void navigate({
        to: '/players/$realmId/$accountId',
        params: { realmId: first.realmId, accountId: first.accountId },
      });
      setText('');
    }
  };
  return (
    <Stack gap={4} maw={520} role="search">
      <TextInput
        label="Find a player"
        placeholder="Account id or display name"
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        maxLength={64}
        autoFocus={autoFocus}
      />
      {q.length > 0 && (
        <Paper withBorder p={4}>
          {results.isError && (
            <Text size="sm" c="red" p={4}>
              {errorMessage(results.error)}
            </Text>
          )}
          {results.isSuccess && items.length === 0 && (
            <Text size="sm" c="dimmed" p={4}>
              No player starts with that.
            </Text>
          )}
          <Stack gap={0} component="ul" aria-label="Players found" m={0} p={0}>
            {items.map((player) => (
              <li key={`${player.realmId}/${player.accountId}`} style={{ listStyle: 'none' }}>
                <Anchor
                  display="block"
                  p={4}
                  underline="never"
                  onClick={() => setText('')}
                  renderRoot={(props) => (
                    <Link
                      {...props}
                      to="/players/$realmId/$accountId"
                      params={{ realmId: player.realmId, accountId: player.accountId }}
                    />
                  )}
                >
                  <Group gap={8} wrap="nowrap">
                    <Text size="sm" fw={600}>
                      <PlayerName player={player} />
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      <PlayerText value={player.accountId} /> @ {player.realmId}
                    </Text>
                  </Group>
                </Anchor>
              </li>
            ))}
          </Stack>
          {results.data?.nextCursor && (
            <Text size="xs" c="dimmed" p={4}>
              More players match: type more of the name.
            </Text>
          )}
        </Paper>
      )}
    </Stack>
  );
}

export function PlayerSearchPage() {
  return (
    <Page title="Players" description="Look a player up by account id or display name.">
      <PlayerSearch autoFocus />
    </Page>
  );
}

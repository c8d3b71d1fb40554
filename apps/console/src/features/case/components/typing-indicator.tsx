import { Group, Loader, Text } from '@mantine/core';
import type { Typists } from '../api';

/** "Ana is typing a reply…" above the composer; polite live region, so screen readers hear it. */
export function TypingIndicator({ typists }: { readonly typists: Typists }) {
  const gms = typists.filter((typist) => typist.key !== 'player');
  const player = typists.some((typist) => typist.key === 'player');
  return (
    <div role="status" aria-live="polite" aria-label="Typing">
      {(gms.length > 0 || player) && (
        <Group gap={6} px="xs" py={2} wrap="nowrap">
          <Loader type="dots" size="xs" color="gray" aria-hidden />
          <Text size="xs" c="dimmed">
            {gms.map((typist, index) => (
              <span key={typist.key}>
                {index > 0 && ', '}
                <b>{typist.displayName}</b>{' '}
                {typist.internal ? 'is writing a note' : 'is typing a reply'}
              </span>
            ))}
            {gms.length > 0 && player && '; '}
            {player && (
              <span>
                <b>The player</b> is typing
              </span>
            )}
            …
          </Text>
        </Group>
      )}
    </div>
  );
}

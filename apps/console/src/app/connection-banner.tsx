import { Alert, Group, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { IconPlugConnectedX, IconWifiOff } from '../ui/icons';
import { useConnection } from './live-events';

/** How long a drop may last before the banner says so (short blips stay silent). */
export const RECONNECTING_AFTER_MS = 1_500;
/** After this long without a connection, or when the browser says so, say "offline". */
const OFFLINE_AFTER_MS = 20_000;

function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = (): void => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Hidden while live; "Reconnecting" after ~1.5 s without the socket; "Offline" later. */
export function ConnectionBanner() {
  const state = useConnection();
  const online = useBrowserOnline();
  const [now, setNow] = useState(() => Date.now());
  const waiting = state.phase === 'connecting' || state.phase === 'down';
  useEffect(() => {
    if (!waiting) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [waiting]);

  if (state.phase === 'live') {
    return null;
  }
  if (state.phase === 'stopped') {
    return (
      <Alert
        role="status"
        color="red"
        variant="light"
        radius={0}
        py={6}
        icon={<IconPlugConnectedX size={18} />}
      >
        <Text size="sm">
          <b>Live updates stopped.</b> {state.reason?.message ?? ''}{' '}
          {state.reason?.code === 'origin_forbidden'
            ? `The gateway admits browsers only from CORS_ORIGINS: add ${window.location.origin} there and restart gmdesk.`
            : 'Reload the page to try again.'}
        </Text>
      </Alert>
    );
  }
  const gone = now - state.since;
  if (gone < RECONNECTING_AFTER_MS) {
    return null;
  }
  if (!online || gone >= OFFLINE_AFTER_MS) {
    return (
      <Alert
        role="status"
        color="red"
        variant="light"
        radius={0}
        py={6}
        icon={<IconWifiOff size={18} />}
      >
        <Text size="sm">
          <b>Offline.</b> Showing what was last loaded; changes will fail until the connection is
          back. Still trying to reconnect…
        </Text>
      </Alert>
    );
  }
  return (
    <Alert role="status" color="yellow" variant="light" radius={0} py={6}>
      <Group gap="xs">
        <Loader size={14} color="yellow" />
        <Text size="sm">
          <b>{state.phase === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</b> Live updates are
          paused; missed events will be replayed.
        </Text>
      </Group>
    </Alert>
  );
}

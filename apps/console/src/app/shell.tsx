import type { StaffClient } from '@gmdesk/sdk';
import {
  ActionIcon,
  AppShell,
  Avatar,
  Group,
  Menu,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
  useMantineColorScheme,
} from '@mantine/core';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useShortcuts } from '../lib/shortcuts';
import { StaffClientContext } from '../lib/staff-client';
import { ClockProvider } from '../ui/clock';
import {
  IconAdjustments,
  IconGavel,
  IconHistory,
  IconInbox,
  IconKeyboard,
  IconLayoutDashboard,
  IconLogout,
  IconMoon,
  IconSun,
  IconUser,
} from '../ui/icons';
import { ConnectionBanner } from './connection-banner';
import { useConnection } from './live-events';
import { liveEvents, queryClient } from './query-client';
import { session, useSession } from './session';
import classes from './shell.module.css';
import { ShortcutSheet } from './shortcut-sheet';

function RailLink({
  to,
  label,
  icon,
}: {
  readonly to: '/queue' | '/dashboard' | '/sanctions' | '/players' | '/audit' | '/admin';
  readonly label: string;
  readonly icon: ReactNode;
}) {
  return (
    <Tooltip label={label} position="right" withArrow openDelay={300}>
      <Link
        to={to}
        className={classes.railLink}
        activeProps={{ 'data-active': true, 'aria-current': 'page' }}
        aria-label={label}
      >
        {icon}
      </Link>
    </Tooltip>
  );
}

/** Starts the /staff connection for the signed-in GM and restarts it with each new token. */
function useLiveConnection(): StaffClient | undefined {
  const [client, setClient] = useState<StaffClient | undefined>(undefined);
  useEffect(() => {
    const start = (token: string | null): void => {
      if (token) {
        setClient(liveEvents.start(token));
      } else {
        liveEvents.stop();
        setClient(undefined);
      }
    };
    start(session.currentToken());
    const unsubscribe = session.onToken(start);
    return () => {
      unsubscribe();
      liveEvents.stop();
    };
  }, []);
  return client;
}

export function Shell() {
  const state = useSession();
  const navigate = useNavigate();
  const client = useLiveConnection();
  const [sheetOpen, setSheetOpen] = useState(false);
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();

  useEffect(() => {
    if (state.status === 'signed_out') {
      queryClient.clear();
      void navigate({ to: '/sign-in' });
    }
  }, [state.status, navigate]);

  useShortcuts({ '?': () => setSheetOpen(true) });

  if (state.status !== 'signed_in') {
    return null;
  }
  const { staff } = state;
  const isAdmin = staff.role === 'admin';

  return (
    <StaffClientContext.Provider value={client}>
      <ClockProvider>
        <AppShell navbar={{ width: 60, breakpoint: 0 }} padding={0}>
          <AppShell.Navbar className={classes.rail}>
            <Stack gap={6} align="center" py="sm" h="100%">
              <div className={classes.logo} aria-hidden>
                gm
              </div>
              <nav aria-label="Main">
                <Stack gap={6} align="center">
                  <RailLink to="/queue" label="Queue" icon={<IconInbox size={20} />} />
                  <RailLink
                    to="/dashboard"
                    label="Dashboard"
                    icon={<IconLayoutDashboard size={20} />}
                  />
                  <RailLink to="/sanctions" label="Sanctions" icon={<IconGavel size={20} />} />
                  <RailLink to="/players" label="Players" icon={<IconUser size={20} />} />
                  {isAdmin && (
                    <RailLink to="/audit" label="Audit log" icon={<IconHistory size={20} />} />
                  )}
                  {isAdmin && (
                    <RailLink to="/admin" label="Admin" icon={<IconAdjustments size={20} />} />
                  )}
                </Stack>
              </nav>
              <Stack gap={6} align="center" mt="auto">
                <LiveDot />
                <Tooltip label="Keyboard shortcuts (?)" position="right" withArrow>
                  <ActionIcon
                    variant="subtle"
                    size="lg"
                    className={classes.railButton}
                    aria-label="Keyboard shortcuts"
                    onClick={() => setSheetOpen(true)}
                  >
                    <IconKeyboard size={20} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label="Light / dark" position="right" withArrow>
                  <ActionIcon
                    variant="subtle"
                    size="lg"
                    className={classes.railButton}
                    aria-label="Toggle colour scheme"
                    onClick={toggleColorScheme}
                  >
                    {colorScheme === 'dark' ? <IconSun size={20} /> : <IconMoon size={20} />}
                  </ActionIcon>
                </Tooltip>
                <Menu position="right-end" withArrow>
                  <Menu.Target>
                    <UnstyledButton aria-label={`Signed in as ${staff.displayName}`}>
                      <Avatar size={32} radius="xl" color="blue">
                        {initials(staff.displayName)}
                      </Avatar>
                    </UnstyledButton>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Label>
                      <Text size="sm" fw={600} c="var(--mantine-color-text)">
                        {staff.displayName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {staff.username} · {staff.role}
                      </Text>
                    </Menu.Label>
                    <Menu.Divider />
                    <Menu.Item
                      leftSection={<IconLogout size={16} />}
                      onClick={() => void session.signOut()}
                    >
                      Sign out
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Stack>
            </Stack>
          </AppShell.Navbar>
          <AppShell.Main className={classes.main}>
            <ConnectionBanner />
            <div className={classes.content}>
              <Outlet />
            </div>
          </AppShell.Main>
        </AppShell>
        <ShortcutSheet opened={sheetOpen} onClose={() => setSheetOpen(false)} />
      </ClockProvider>
    </StaffClientContext.Provider>
  );
}

/** A small always-visible connection light (the banner explains when it is not green). */
function LiveDot() {
  const state = useConnection();
  const live = state.phase === 'live';
  const label = live
    ? 'Live updates connected'
    : state.phase === 'stopped'
      ? 'Live updates stopped'
      : 'Live updates reconnecting';
  return (
    <Tooltip label={label} position="right" withArrow>
      <div role="status" aria-label={label} className={classes.liveDot} data-phase={state.phase} />
    </Tooltip>
  );
}

export function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => [...word][0] ?? '')
    .join('');
  return letters.slice(0, 2).toUpperCase() || '?';
}

export function Placeholder({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack p="xl" maw={640} gap="xs">
      <Group>
        <Text fw={650} size="lg">
          {title}
        </Text>
      </Group>
      {children}
    </Stack>
  );
}

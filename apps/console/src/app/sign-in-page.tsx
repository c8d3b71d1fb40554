import {
  Alert,
  Box,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../lib/api-client';
import { IconAlertCircle, IconShieldLock } from '../ui/icons';
import { session, useSession } from './session';

export function SignInPage() {
  const state = useSession();
  const navigate = useNavigate();
  const search = useSearch({ strict: false });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(username.trim(), password);
      const target = typeof search.redirect === 'string' ? search.redirect : '/queue';
      await navigate({ to: target.startsWith('/') ? target : '/queue' });
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.code === 'invalid_credentials'
          ? 'Wrong username or password.'
          : errorMessage(caught),
      );
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="var(--mantine-color-body)" p="md">
      <Box w={380}>
        <Stack gap={4} align="center" mb="lg">
          <IconShieldLock size={36} stroke={1.5} color="var(--mantine-color-blue-6)" />
          <Title order={2} fw={650}>
            gmdesk
          </Title>
          <Text c="dimmed" size="sm">
            Staff console
          </Text>
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
            <Stack>
              {state.status === 'signed_out' && state.reason === 'expired' && !error && (
                <Alert color="yellow" variant="light" icon={<IconAlertCircle size={18} />}>
                  Your session ended. Sign in again to continue.
                </Alert>
              )}
              {error && (
                <Alert
                  color="red"
                  variant="light"
                  icon={<IconAlertCircle size={18} />}
                  role="alert"
                >
                  {error}
                </Alert>
              )}
              <TextInput
                label="Username"
                autoComplete="username"
                autoFocus
                required
                maxLength={64}
                value={username}
                onChange={(event) => setUsername(event.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                maxLength={256}
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              <Button type="submit" loading={busy} fullWidth mt="xs">
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
        <Text c="dimmed" size="xs" ta="center" mt="md">
          Your session is kept in this tab only.
        </Text>
      </Box>
    </Center>
  );
}

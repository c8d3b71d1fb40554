import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';

/**
 * A secret the api returns once (a realm's player-token secret, a game server's key): shown in a
 * modal with a copy button, and forgotten when the modal closes. It is never in the Query cache.
 */
export function SecretOnce({
  secret,
  title,
  label,
  onClose,
}: {
  readonly secret: string | null;
  readonly title: string;
  readonly label: string;
  readonly onClose: () => void;
}) {
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={title}
      size="lg"
      centered
      closeOnClickOutside={false}
    >
      <Stack gap="sm">
        <Alert color="orange" title="Shown once">
          Copy it into the game backend's secret store now: gmdesk will not show it again.
        </Alert>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Code block aria-label={label} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {secret}
        </Code>
        <Group justify="flex-end">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>I have stored it</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

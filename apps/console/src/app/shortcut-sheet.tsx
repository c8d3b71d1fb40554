import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';

const SECTIONS: readonly { title: string; keys: readonly [string[], string][] }[] = [
  {
    title: 'Queue',
    keys: [
      [['j'], 'Next item'],
      [['k'], 'Previous item'],
      [['Enter'], 'Open the selected item'],
      [['c'], 'Claim (assign to me) / release'],
      [['Esc'], 'Back to the queue'],
    ],
  },
  {
    title: 'Case',
    keys: [
      [['r'], 'Write a public reply'],
      [['n'], 'Write an internal note'],
      [['s'], 'Sanction the player (moderators)'],
      [['Ctrl / ⌘', 'Enter'], 'Send'],
      [['c'], 'Claim / release'],
    ],
  },
  { title: 'Anywhere', keys: [[['?'], 'This sheet']] },
];

export function ShortcutSheet({
  opened,
  onClose,
}: {
  readonly opened: boolean;
  readonly onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="md" centered>
      <Stack gap="md">
        {SECTIONS.map((section) => (
          <div key={section.title}>
            <Text fw={600} size="sm" mb={4}>
              {section.title}
            </Text>
            <Table withRowBorders={false} verticalSpacing={3}>
              <Table.Tbody>
                {section.keys.map(([keys, label]) => (
                  <Table.Tr key={label}>
                    <Table.Td w={130}>
                      <Group gap={4}>
                        {keys.map((key) => (
                          <Kbd key={key} size="xs">
                            {key}
                          </Kbd>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{label}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
        <Text size="xs" c="dimmed">
          Single keys work outside text fields. No Alt combinations, so every keyboard layout can
          type freely.
        </Text>
      </Stack>
    </Modal>
  );
}

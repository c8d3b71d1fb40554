import { SimpleGrid, Stack } from '@mantine/core';
import { Page } from '../../../ui/page';
import { GameServersPanel } from './game-servers-panel';
import { RealmsPanel } from './realms-panel';
import { StaffPanel } from './staff-panel';

export function AdminPage() {
  return (
    <Page
      title="Admin"
      description="Realms (player-token secret shown once), game servers (API key shown once) and staff accounts."
    >
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <RealmsPanel />
          <GameServersPanel />
        </SimpleGrid>
        <StaffPanel />
      </Stack>
    </Page>
  );
}

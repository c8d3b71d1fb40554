import { Alert, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconInfoCircle } from './icons';

export function Page({
  title,
  description,
  children,
}: {
  readonly title: string;
  readonly description?: ReactNode;
  readonly children?: ReactNode;
}) {
  return (
    <Stack p="lg" gap="md" style={{ overflow: 'auto' }}>
      <div>
        <Title order={1} size="h3">
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed" mt={2}>
            {description}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}

/** Says plainly what a screen is waiting for, instead of showing an empty or broken page. */
export function NotYet({ children }: { readonly children: ReactNode }) {
  return (
    <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} maw={720}>
      {children}
    </Alert>
  );
}

import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/global.css';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { queryClient } from './app/query-client';
import { router } from './app/router';
import { session } from './app/session';
import { theme } from './app/theme';

/**
 * The api serves index.html with a fresh CSP nonce per response (apps/api/src/console); Mantine
 * puts it on the <style> tags it writes, the only inline code the policy admits.
 */
function styleNonce(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  return meta?.nonce || meta?.getAttribute('nonce') || '';
}

async function main(): Promise<void> {
  await session.restore();
  const root = document.getElementById('root');
  if (!root) {
    throw new Error('#root is missing from index.html');
  }
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="light" getStyleNonce={styleNonce}>
        <Notifications position="bottom-right" limit={4} />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void main();

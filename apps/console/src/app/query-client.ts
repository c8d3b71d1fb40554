import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/api-client';
import { LiveEvents } from './live-events';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live events keep data fresh; a refetch on every focus would reorder lists under the GM.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

export const liveEvents = new LiveEvents(queryClient);

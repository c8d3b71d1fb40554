import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { errorMessage } from '../../../lib/api-client';
import type { Page, Ticket } from '../../../types/api';
import { assignTicket, queueKeys } from '../api';

type Lists = InfiniteData<Page<Ticket>, string | null>;

/**
 * Claim (assign to me) or release a ticket, optimistically: the row changes at once and rolls
 * back with an error and a Retry when the api refuses.
 */
export function useClaim(meId: string) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ ticketId, assigneeId }: { ticketId: string; assigneeId: string | null }) =>
      assignTicket(ticketId, assigneeId),
    onMutate: async ({ ticketId, assigneeId }) => {
      await queryClient.cancelQueries({ queryKey: queueKeys.lists() });
      const previous = queryClient.getQueriesData<Lists>({ queryKey: queueKeys.lists() });
      queryClient.setQueriesData<Lists>({ queryKey: queueKeys.lists() }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) =>
                  item.id === ticketId ? { ...item, assigneeId } : item,
                ),
              })),
            }
          : data,
      );
      return { previous };
    },
    onError: (error, variables, context) => {
      for (const [key, data] of context?.previous ?? []) {
        queryClient.setQueryData(key, data);
      }
      const id = `claim-${variables.ticketId}`;
      notifications.show({
        id,
        color: 'red',
        title: variables.assigneeId ? 'Could not claim' : 'Could not release',
        message: (
          <span>
            {errorMessage(error)}{' '}
            <Anchor
              component="button"
              size="sm"
              onClick={() => {
                notifications.hide(id);
                mutation.mutate(variables);
              }}
            >
              Retry
            </Anchor>
          </span>
        ),
      });
    },
    onSuccess: (ticket) => {
      queryClient.setQueriesData<Lists>({ queryKey: queueKeys.lists() }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) =>
                  item.id === ticket.id ? { ...item, ...ticket } : item,
                ),
              })),
            }
          : data,
      );
    },
  });
  return {
    toggle: (ticket: Ticket) =>
      mutation.mutate({
        ticketId: ticket.id,
        assigneeId: ticket.assigneeId === meId ? null : meId,
      }),
    pending: mutation.isPending,
  };
}

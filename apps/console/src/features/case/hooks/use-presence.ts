import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useStaffClient } from '../../../lib/staff-client';
import { caseKeys, type Viewers } from '../api';

/**
 * Joins the case's viewers on the socket while the case is open (the SDK re-joins after a
 * reconnect); `presence` events then keep caseKeys.presence(id) current (src/app/live-events.ts).
 */
export function usePresence(ticketId: string): Viewers {
  const client = useStaffClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!client) {
      return undefined;
    }
    let active = true;
    client
      .watchTicket(ticketId)
      .then((ack) => {
        if (active && ack.ok) {
          queryClient.setQueryData<Viewers>(caseKeys.presence(ticketId), ack.presence.viewers);
        }
      })
      .catch(() => undefined);
    return () => {
      active = false;
      client.unwatchTicket(ticketId).catch(() => undefined);
    };
  }, [client, ticketId, queryClient]);
  const { data } = useQuery<Viewers>({
    queryKey: caseKeys.presence(ticketId),
    queryFn: () => [],
    staleTime: Infinity,
    initialData: [],
  });
  return data;
}

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { caseKeys, type Typists } from '../api';

/**
 * Who is typing on the case now (src/app/live-events.ts fills caseKeys.typing(id) from
 * `staff.typing` and `player.typing`), without this GM's own other tabs. Entries fade when their
 * time is up: one timer, for the earliest, only while someone is typing. (`now` may lag behind
 * the clock between timers; that only keeps an entry a moment longer, never hides a new one.)
 */
export function useTyping(ticketId: string, myStaffId: string): Typists {
  const { data } = useQuery<Typists>({
    queryKey: caseKeys.typing(ticketId),
    queryFn: () => [],
    staleTime: Infinity,
    initialData: [],
  });
  const [now, setNow] = useState(() => Date.now());
  const current = data.filter((typist) => typist.until > now && typist.key !== myStaffId);
  const next = current.reduce((earliest, typist) => Math.min(earliest, typist.until), Infinity);
  useEffect(() => {
    if (next === Infinity) {
      return undefined;
    }
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [next]);
  return current;
}

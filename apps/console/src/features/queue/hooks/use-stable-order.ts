import { useCallback, useMemo, useState } from 'react';

interface Order {
  /** What the GM sees, in this order. */
  readonly ids: readonly string[];
  /** Ids the server has now but that would move rows if inserted: they wait behind "N new". */
  readonly held: readonly string[];
  /** The server's order this state was derived from (to tell pages apart from refetches). */
  readonly source: readonly string[];
}

const EMPTY: Order = { ids: [], held: [], source: [] };

/**
 * Keeps the queue's rows where the GM saw them (tdesktop#1921: never move rows under the pointer).
 * - The first load, and `adopt()` (the "N new" pill, a filter change), take the server's order.
 * - Rows appended by loading the next page are appended.
 * - Rows the server now puts among the loaded ones (a refetch after reconnecting) are held back
 *   and counted, instead of pushing rows down.
 * - Rows that left the server's list (solved, reassigned away) stay in place, reported as
 *   `departed`, until the next adopt.
 */
export function useStableOrder(serverIds: readonly string[]): {
  readonly ids: readonly string[];
  readonly held: readonly string[];
  readonly departed: ReadonlySet<string>;
  readonly adopt: () => void;
} {
  const [order, setOrder] = useState<Order>(EMPTY);
  const [adoptRequested, setAdoptRequested] = useState(true);

  let next = order;
  if (order.source !== serverIds) {
    if (adoptRequested || order.ids.length === 0) {
      next = { ids: serverIds, held: [], source: serverIds };
    } else {
      const shown = new Set(order.ids);
      // The last row the GM already sees that the server still lists: anything after it in the
      // server's order came with a later page; anything before it is an insertion.
      let lastShownIndex = -1;
      serverIds.forEach((id, index) => {
        if (shown.has(id)) {
          lastShownIndex = index;
        }
      });
      const appended: string[] = [];
      const held = new Set(order.held);
      serverIds.forEach((id, index) => {
        if (shown.has(id)) {
          return;
        }
        if (index > lastShownIndex && !held.has(id)) {
          appended.push(id);
        } else {
          held.add(id);
        }
      });
      const inServer = new Set(serverIds);
      next = {
        ids: appended.length > 0 ? [...order.ids, ...appended] : order.ids,
        held: [...held].filter((id) => inServer.has(id)),
        source: serverIds,
      };
    }
    setOrder(next);
    if (adoptRequested) {
      setAdoptRequested(false);
    }
  }

  const nextIds = next.ids;
  const departed = useMemo(() => {
    const inServer = new Set(serverIds);
    return new Set(nextIds.filter((id) => !inServer.has(id)));
  }, [nextIds, serverIds]);
  const adopt = useCallback(() => {
    setOrder({ ids: serverIds, held: [], source: serverIds });
    // A refetch usually follows (the pill reloads the list): adopt its order too.
    setAdoptRequested(true);
  }, [serverIds]);
  return { ids: next.ids, held: next.held, departed, adopt };
}

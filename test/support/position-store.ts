import type { PositionStore, StreamPosition } from '@gmdesk/sdk';

export interface TestPositionStore extends PositionStore {
  readonly position: StreamPosition | undefined;
  /** Resolves once the client has saved a position at or past `seq` (it finished processing it). */
  savedThrough(seq: number): Promise<void>;
}

/** A position store kept in a variable that outlives the client, as an app would persist one. */
export function memoryStore(): TestPositionStore {
  let position: StreamPosition | undefined;
  const waiting: { seq: number; resolve: () => void }[] = [];
  return {
    get position() {
      return position;
    },
    load: () => position,
    save(next) {
      position = next;
      for (const waiter of waiting.filter((w) => w.seq <= next.lastSeq)) {
        waiter.resolve();
      }
    },
    savedThrough(seq) {
      return (position?.lastSeq ?? 0) >= seq
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ seq, resolve }));
    },
  };
}

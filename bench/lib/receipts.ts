import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';

interface Probe {
  readonly match: (payload: unknown) => boolean;
  readonly resolve: (receivedAt: number) => void;
}

/**
 * Timestamps the arrival of one event on one client. Every client keeps one listener for the
 * event; a sample registers what it waits for on the client it targets, and the listener stamps
 * `performance.now()` the moment socket.io hands the packet to it (clients and server share this
 * process and its clock).
 */
export class ReceiptBoard {
  private readonly pending = new Map<number, Probe>();

  constructor(private readonly event: string) {}

  /** Starts listening on `sockets`, numbered from `firstIndex`. */
  listen(sockets: readonly Socket[], firstIndex = 0): void {
    sockets.forEach((socket, offset) => {
      const index = firstIndex + offset;
      socket.on(this.event, (payload: unknown) => {
        const receivedAt = performance.now();
        const probe = this.pending.get(index);
        if (probe?.match(payload)) {
          this.pending.delete(index);
          probe.resolve(receivedAt);
        }
      });
    });
  }

  /** Resolves with the receipt time of the next matching event on client `index`. */
  expect(index: number, match: (payload: unknown) => boolean, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(index);
        reject(new Error(`no "${this.event}" on client ${index} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(index, {
        match,
        resolve: (receivedAt) => {
          clearTimeout(timer);
          resolve(receivedAt);
        },
      });
    });
  }
}

/** The body gmdesk's gateway emits for every durable event (DESIGN §4). */
export interface Envelope<T> {
  readonly stream: string;
  readonly epoch: string;
  readonly seq: number;
  readonly event: string;
  readonly data: T;
  readonly at: string;
}

export function dataOf<T>(payload: unknown): Partial<T> {
  const data = (payload as Partial<Envelope<T>> | undefined)?.data;
  return typeof data === 'object' && data !== null ? data : {};
}

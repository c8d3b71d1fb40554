import {
  RESUMED_EVENT,
  type DeliveredEvent,
  type ResumeAck,
  type ResumeRequest,
} from '@gmdesk/contracts';
import { DeliveryService, type StoredEvent } from '@gmdesk/delivery';
import { Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { closeSession, type GatewaySocket } from '../socket/socket-session';

/** Engine.io packets queued for one client before we call it a slow consumer. */
const MAX_BUFFERED_PACKETS = 2000;
const PAGE = 500;

interface Subscriber {
  readonly socket: GatewaySocket;
  /** Highest seq sent to this socket. */
  cursor: number;
  /** False while a resume replays history to it; live pumps skip it meanwhile. */
  live: boolean;
  /** Staff may narrow what they receive (realm coverage, queue filters). */
  accepts: (event: StoredEvent) => boolean;
}

/**
 * Delivers durable events to the sockets of THIS process. PostgreSQL is the source: a NOTIFY hint
 * (or a reconnect of the listener) makes us read a stream after each local socket's cursor and
 * emit what it has not had yet. Work on one stream is serialised, so replay and live delivery never
 * interleave and every socket sees seq order. Sockets on other gateway processes are theirs: an
 * event reaches each socket exactly once per connection, from the process that holds it.
 */
@Injectable()
export class StreamDispatcher {
  private readonly logger = new Logger(StreamDispatcher.name);
  private readonly subscribers = new Map<string, Map<string, Subscriber>>();
  private readonly queues = new Map<string, Promise<void>>();
  /** A stream's epoch never changes while its row exists; remembered to save a query per pump. */
  private readonly epochs = new Map<string, string>();

  constructor(private readonly delivery: DeliveryService) {}

  /**
   * Registers a socket for its stream, not yet live: delivery starts with the client's `resume`,
   * so replayed history always comes before live events, in seq order.
   */
  async attach(
    socket: GatewaySocket,
    accepts: (event: StoredEvent) => boolean = () => true,
  ): Promise<void> {
    const stream = socket.data.stream;
    const state = await this.delivery.streamState(stream);
    this.epochs.set(stream, state.epoch);
    if (socket.data.closed) {
      return;
    }
    let local = this.subscribers.get(stream);
    if (!local) {
      local = new Map();
      this.subscribers.set(stream, local);
    }
    local.set(socket.id, { socket, cursor: state.lastSeq, live: false, accepts });
  }

  detach(socket: GatewaySocket): void {
    const local = this.subscribers.get(socket.data.stream);
    local?.delete(socket.id);
    if (local?.size === 0) {
      this.subscribers.delete(socket.data.stream);
      this.epochs.delete(socket.data.stream);
    }
  }

  /** Narrows what one socket receives from now on (e.g. staff queue filters). */
  async setFilter(socket: GatewaySocket, accepts: (event: StoredEvent) => boolean): Promise<void> {
    await socket.data.attached;
    const subscriber = this.subscribers.get(socket.data.stream)?.get(socket.id);
    if (subscriber) {
      subscriber.accepts = accepts;
    }
  }

  /** Replays what the client missed, in order, then `resumed`; or tells it to re-sync. */
  async resume(socket: GatewaySocket, request: ResumeRequest): Promise<ResumeAck> {
    await socket.data.attached;
    const stream = socket.data.stream;
    return this.enqueue(stream, async () => {
      const subscriber = this.subscribers.get(stream)?.get(socket.id);
      const { state, plan } = await this.delivery.planResume(stream, request);
      if (plan.kind === 'resync') {
        if (subscriber) {
          subscriber.cursor = Math.max(subscriber.cursor, state.lastSeq);
          subscriber.live = true;
        }
        return {
          ok: true,
          resync: true,
          reason: plan.reason,
          epoch: state.epoch,
          lastSeq: state.lastSeq,
        };
      }
      let cursor = plan.afterSeq;
      let replayed = 0;
      if (!subscriber) {
        throw new Error('resume for a socket that is not attached');
      }
      for (;;) {
        const page = await this.delivery.readAfter(stream, cursor, PAGE);
        for (const event of page) {
          if (subscriber.accepts(event)) {
            this.emit(socket, state.epoch, event);
            replayed += 1;
          }
          cursor = event.seq;
        }
        if (page.length < PAGE) {
          break;
        }
      }
      subscriber.cursor = cursor;
      subscriber.live = true;
      (socket as unknown as Socket).emit(RESUMED_EVENT, { epoch: state.epoch, lastSeq: cursor });
      return { ok: true, resync: false, epoch: state.epoch, replayed, lastSeq: cursor };
    });
  }

  /** A NOTIFY said `stream` has new events. */
  onHint(stream: string): void {
    if (this.subscribers.has(stream)) {
      this.schedule(stream);
    }
  }

  /** The listener (re)connected: hints may have been lost, so read every local stream. */
  catchUpAll(): void {
    for (const stream of this.subscribers.keys()) {
      this.schedule(stream);
    }
  }

  /** Ends every local session (graceful shutdown): clients reconnect elsewhere and resume. */
  closeAll(): void {
    for (const local of this.subscribers.values()) {
      for (const { socket } of [...local.values()]) {
        closeSession(
          socket,
          'shutting_down',
          'This gateway is shutting down; reconnect and resume.',
        );
      }
    }
  }

  localSocketCount(): number {
    let count = 0;
    for (const local of this.subscribers.values()) {
      count += local.size;
    }
    return count;
  }

  private schedule(stream: string): void {
    void this.enqueue(stream, () => this.pump(stream)).catch((error: unknown) =>
      this.logger.error({ err: error, stream }, 'delivery pump failed'),
    );
  }

  private async pump(stream: string): Promise<void> {
    for (;;) {
      const live = [...(this.subscribers.get(stream)?.values() ?? [])].filter((s) => s.live);
      if (live.length === 0) {
        return;
      }
      const from = Math.min(...live.map((s) => s.cursor));
      const page = await this.delivery.readAfter(stream, from, PAGE);
      if (page.length === 0) {
        return;
      }
      const epoch = this.epochs.get(stream) ?? (await this.delivery.streamState(stream)).epoch;
      for (const subscriber of live) {
        for (const event of page) {
          if (event.seq <= subscriber.cursor) {
            continue;
          }
          subscriber.cursor = event.seq;
          if (subscriber.accepts(event) && !this.emit(subscriber.socket, epoch, event)) {
            break;
          }
        }
      }
      if (page.length < PAGE) {
        return;
      }
    }
  }

  /** Emits one event; returns false (and closes the session) when the client cannot keep up. */
  private emit(socket: GatewaySocket, epoch: string, event: StoredEvent): boolean {
    const raw = socket as unknown as Socket;
    // engine.io keeps packets it could not yet write in `writeBuffer` (not in its typings).
    if (
      (raw.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length > MAX_BUFFERED_PACKETS
    ) {
      this.detach(socket);
      closeSession(
        socket,
        'slow_consumer',
        'Too many undelivered events queued; reconnect and resume.',
      );
      return false;
    }
    const delivered: DeliveredEvent = {
      stream: event.stream,
      epoch,
      seq: event.seq,
      event: event.event,
      data: event.payload,
      at: event.createdAt.toISOString(),
    };
    raw.emit(event.event, delivered);
    return true;
  }

  private enqueue<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(stream) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(stream, tail);
    void tail.then(() => {
      if (this.queues.get(stream) === tail) {
        this.queues.delete(stream);
      }
    });
    return result;
  }
}

import {
  RESUMED_EVENT,
  type DeliveredEvent,
  type ResumeAck,
  type ResumeRequest,
  type ResyncReason,
} from '@gmdesk/contracts';
import { RateLimitedError } from '@gmdesk/core';
import { DeliveryService, type StoredEvent } from '@gmdesk/delivery';
import { Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { closeSession, type GatewaySocket } from '../socket/socket-session';

/** Engine.io packets queued for one client before we call it a slow consumer. */
const MAX_BUFFERED_PACKETS = 2000;
const PAGE = 500;
const MAX_RESUMES_PER_CONNECTION = 3;

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
  /** At most this many stream reads at once, so a full catch-up does not drain the pool. */
  private readonly pumps = new Semaphore(4);
  private readonly pumpQueued = new Set<string>();
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
    // A resume replays history inside the stream's queue (shared by every staff socket): a
    // connection gets a few, not a way to stall everyone else.
    socket.data.resumes = (socket.data.resumes ?? 0) + 1;
    if (socket.data.resumes > MAX_RESUMES_PER_CONNECTION) {
      throw new RateLimitedError(
        'rate_limited',
        'Resume once after connecting; reconnect to resume again.',
        60,
      );
    }
    await socket.data.attached;
    const stream = socket.data.stream;
    return this.enqueue(stream, async () => {
      const subscriber = this.subscribers.get(stream)?.get(socket.id);
      if (!subscriber) {
        // Registration failed (the database was unreachable at the handshake): a session that
        // looked live but received nothing would be worse than a reconnect.
        closeSession(
          socket,
          'unavailable',
          'Delivery is not available right now; reconnect and resume.',
        );
        throw new Error('resume for a socket that is not registered for delivery');
      }
      const { state, plan } = await this.delivery.planResume(stream, request);
      if (plan.kind === 'resync') {
        return this.resync(subscriber, state.epoch, state.lastSeq, plan.reason);
      }
      let cursor = plan.afterSeq;
      let replayed = 0;
      for (;;) {
        const page = await this.delivery.readAfter(stream, cursor, PAGE);
        // Seqs have no gaps: a hole means retention pruned the history while we read it.
        if (page[0] !== undefined && page[0].seq !== cursor + 1) {
          return this.resync(
            subscriber,
            state.epoch,
            (await this.delivery.streamState(stream)).lastSeq,
            'history_pruned',
          );
        }
        for (const event of page) {
          if (subscriber.accepts(event)) {
            if (!this.emit(socket, state.epoch, event)) {
              throw new Error('slow consumer closed during replay');
            }
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

  private resync(
    subscriber: Subscriber,
    epoch: string,
    lastSeq: number,
    reason: ResyncReason,
  ): ResumeAck {
    subscriber.cursor = Math.max(subscriber.cursor, lastSeq);
    subscriber.live = true;
    return { ok: true, resync: true, reason, epoch, lastSeq };
  }

  /**
   * For clients that never send `resume` (not using the SDK): after a grace period they get live
   * events from the moment they connected. Clients that resume are unaffected.
   */
  startLiveWithoutResume(socket: GatewaySocket): void {
    const subscriber = this.subscribers.get(socket.data.stream)?.get(socket.id);
    if (subscriber && !subscriber.live && !socket.data.resumes) {
      subscriber.live = true;
      this.schedule(socket.data.stream);
    }
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

  private schedule(stream: string, attempt = 0): void {
    // A pump already waiting will read everything committed so far: a burst of hints needs one.
    if (this.pumpQueued.has(stream)) {
      return;
    }
    this.pumpQueued.add(stream);
    const pump = (): Promise<void> => {
      this.pumpQueued.delete(stream);
      return this.pumps.run(() => this.pump(stream));
    };
    void this.enqueue(stream, pump).catch((error: unknown) => {
      // A hint can only be retried by us: nothing else will wake this stream until its next event.
      this.logger.warn({ err: error, stream, attempt }, 'delivery pump failed; retrying');
      if (this.subscribers.has(stream)) {
        setTimeout(
          () => this.schedule(stream, attempt + 1),
          Math.min(5000, 200 * 2 ** attempt),
        ).unref();
      }
    });
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

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.active -= 1;
      }
    }
  }
}

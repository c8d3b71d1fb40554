import type { ResumeRequest } from '@gmdesk/contracts';

/** Where a client is in its stream: the epoch it read from and the last seq it processed. */
export interface StreamPosition {
  /** Unknown until the first event or resume ack of a fresh client. */
  readonly epoch?: string;
  readonly lastSeq: number;
}

/** What the tracker needs of a delivered event. */
export interface Sequenced {
  readonly epoch: string;
  readonly seq: number;
}

/** How a resume ended, as far as ordering is concerned. */
export interface ResumeCompletion {
  readonly epoch: string;
  readonly lastSeq: number;
  /** True when the history could not be replayed and the client re-fetches over REST instead. */
  readonly resync: boolean;
}

export type ReceiveResult<E> =
  /** Process these now, in this order (each still subject to `isNew` at processing time). */
  | { readonly kind: 'ready'; readonly events: readonly E[] }
  /** Held until the resume in progress completes. */
  | { readonly kind: 'held' }
  /**
   * The event belongs to another epoch than the one the client has: the stream was reset, so the
   * client's position means nothing any more. The tracker now holds events as if `beginResume`
   * had been called: send `resume` and let its ack (a re-sync) say where to continue.
   */
  | { readonly kind: 'resume_needed' };

/**
 * Exactly-once, in-order processing over an at-least-once stream (DESIGN §4), without I/O.
 *
 * Why events are held during a resume: the gateway starts live delivery as soon as a socket
 * connects, before the client's `resume` arrives. A client that was at seq 5 can therefore get
 * live seq 11 first and the replay of 6..11 after it; processing in arrival order would process 11
 * and then drop 6..10 as "old". So from the connect until the resume ack, everything is held, then
 * released sorted by seq without duplicates (everything before the ack is either replayed or was
 * already in the stream when the replay read it).
 */
export class SeqTracker<E extends Sequenced> {
  private current: StreamPosition;
  /** Defined while a resume is in progress. */
  private held: E[] | undefined;

  constructor(initial: StreamPosition = { lastSeq: 0 }) {
    this.current = initial;
  }

  get position(): StreamPosition {
    return this.current;
  }

  get resuming(): boolean {
    return this.held !== undefined;
  }

  /** After every connect: from now until the resume ack, incoming events are held. */
  beginResume(): void {
    // Events already held on this connection (an epoch change) stay held for this resume.
    this.held ??= [];
  }

  /** What to send as `resume`: the position, without an epoch before the first one is known. */
  resumeRequest(): ResumeRequest {
    const { epoch, lastSeq } = this.current;
    return epoch === undefined ? { lastSeq } : { epoch, lastSeq };
  }

  receive(event: E): ReceiveResult<E> {
    if (this.held) {
      this.held.push(event);
      return { kind: 'held' };
    }
    if (this.current.epoch !== undefined && event.epoch !== this.current.epoch) {
      this.held = [event];
      return { kind: 'resume_needed' };
    }
    return { kind: 'ready', events: [event] };
  }

  /**
   * The resume was acked. On a re-sync the client adopts the server's position (its REST snapshot
   * covers everything up to it). Returns the held events to process, in seq order, duplicates and
   * already-processed ones removed.
   */
  completeResume(completion: ResumeCompletion): E[] {
    if (completion.resync || completion.epoch !== this.current.epoch) {
      this.current = {
        epoch: completion.epoch,
        lastSeq: completion.resync ? completion.lastSeq : this.current.lastSeq,
      };
    }
    const held = this.held ?? [];
    this.held = undefined;
    const bySeq = new Map<number, E>();
    for (const event of held) {
      if (event.epoch === this.current.epoch && event.seq > this.current.lastSeq) {
        bySeq.set(event.seq, event);
      }
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The resume failed or the connection dropped: held events will be replayed by the next resume. */
  abandonResume(): void {
    this.held = undefined;
  }

  /** Whether an event is still to be processed: same epoch and a seq past the last one processed. */
  isNew(event: E): boolean {
    return (
      (this.current.epoch === undefined || event.epoch === this.current.epoch) &&
      event.seq > this.current.lastSeq
    );
  }

  /** Call after the handlers ran, so that a crash in between redelivers the event. */
  markProcessed(event: E): void {
    this.current = { epoch: event.epoch, lastSeq: event.seq };
  }

  /**
   * After a replay the server's cursor may be past the last event this client got, because events
   * outside its filters (staff realms, queue filters) were skipped. Moving up to it keeps the next
   * resume from asking for history it will not be sent, which may by then be pruned.
   */
  advanceTo(position: Required<StreamPosition>): void {
    if (position.epoch === this.current.epoch && position.lastSeq > this.current.lastSeq) {
      this.current = position;
    }
  }
}

import { streams, type ResumeRequest } from '@gmdesk/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRepository, StoredEvent, StreamState } from './outbox.repository';
import { planResume, ResumePlan } from './resume-plan';

/**
 * A stream that the changes of many unrelated recipients write (today only the staff stream): its
 * events get their seq at COMMIT, so that no transaction holds its counter row across round trips.
 */
export function isSharedStream(stream: string): boolean {
  return stream === streams.staff();
}

/** The outbox as the rest of the platform sees it: append in a transaction, read, resume, prune. */
@Injectable()
export class DeliveryService {
  constructor(private readonly outbox: OutboxRepository) {}

  /**
   * To a recipient's own stream (a player, a game server), inside the transaction of the change
   * that causes the event; the seq is known at once. Refuses a shared stream: use appendAtCommit.
   */
  append(
    manager: EntityManager,
    stream: string,
    event: string,
    payload: unknown,
  ): Promise<{ epoch: string; seq: number }> {
    if (isSharedStream(stream)) {
      // Appending here would lock the shared counter row until the caller's COMMIT and serialise
      // every staff-visible write of the platform behind it.
      return Promise.reject(
        new Error(`${stream} is a shared stream: append to it with appendAtCommit`),
      );
    }
    return this.outbox.append(manager, stream, event, payload);
  }

  /**
   * Inside the transaction of the change that causes the event, for any stream; the event gets
   * its seq while that transaction commits (in commit order, without gaps) and does not exist if
   * it rolls back. Required for shared streams.
   */
  appendAtCommit(
    manager: EntityManager,
    stream: string,
    event: string,
    payload: unknown,
  ): Promise<void> {
    return this.outbox.appendAtCommit(manager, stream, event, payload);
  }

  async planResume(
    stream: string,
    request: ResumeRequest,
  ): Promise<{ state: StreamState; plan: ResumePlan }> {
    const state = await this.outbox.ensureStream(stream);
    return {
      state,
      plan: planResume(state, request, { sharedStream: isSharedStream(stream) }),
    };
  }

  streamState(stream: string): Promise<StreamState> {
    return this.outbox.ensureStream(stream);
  }

  readAfter(stream: string, afterSeq: number, limit = 500): Promise<StoredEvent[]> {
    return this.outbox.readAfter(stream, afterSeq, limit);
  }

  /** Asks every gateway to end the sessions of `subject` (`server:<id>`, `staff:<id>`) on commit. */
  announceRevocation(manager: EntityManager, subject: string): Promise<void> {
    return this.outbox.announceRevocation(manager, subject);
  }

  pruneOlderThan(before: Date): Promise<number> {
    return this.outbox.pruneOlderThan(before);
  }
}

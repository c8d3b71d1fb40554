import { streams, type ResumeRequest } from '@gmdesk/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRepository, StoredEvent, StreamState } from './outbox.repository';
import { planResume, ResumePlan } from './resume-plan';

/** The outbox as the rest of the platform sees it: append in a transaction, read, resume, prune. */
@Injectable()
export class DeliveryService {
  constructor(private readonly outbox: OutboxRepository) {}

  /** Call inside the transaction of the change that causes the event. */
  append(
    manager: EntityManager,
    stream: string,
    event: string,
    payload: unknown,
  ): Promise<{ epoch: string; seq: number }> {
    return this.outbox.append(manager, stream, event, payload);
  }

  async planResume(
    stream: string,
    request: ResumeRequest,
  ): Promise<{ state: StreamState; plan: ResumePlan }> {
    const state = await this.outbox.ensureStream(stream);
    return {
      state,
      plan: planResume(state, request, { sharedStream: stream === streams.staff() }),
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

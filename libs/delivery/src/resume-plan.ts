import type { ResumeRequest, ResyncReason } from '@gmdesk/contracts';
import type { StreamState } from './outbox.repository';

export type ResumePlan =
  | { readonly kind: 'replay'; readonly afterSeq: number }
  | { readonly kind: 'resync'; readonly reason: ResyncReason };

/**
 * What a reconnecting client gets: every missed event in order, or an explicit re-sync when the
 * history it needs is gone, never a silent partial replay.
 */
export function planResume(
  state: StreamState,
  request: ResumeRequest,
  options: { readonly sharedStream?: boolean } = {},
): ResumePlan {
  const lastSeq = request.lastSeq;
  // A new console tab on the shared staff stream wants today's queue from REST, not a replay of
  // every event since retention began.
  if (options.sharedStream && request.epoch === undefined && lastSeq === 0 && state.lastSeq > 0) {
    return { kind: 'resync', reason: 'snapshot_required' };
  }
  // A client that has seen events must say which history they came from.
  if (
    (request.epoch === undefined && lastSeq > 0) ||
    (request.epoch !== undefined && request.epoch !== state.epoch)
  ) {
    return { kind: 'resync', reason: 'epoch_changed' };
  }
  if (lastSeq > state.lastSeq) {
    return { kind: 'resync', reason: 'ahead_of_server' };
  }
  if (lastSeq < state.prunedThrough) {
    return { kind: 'resync', reason: 'history_pruned' };
  }
  return { kind: 'replay', afterSeq: lastSeq };
}

/**
 * Durable delivery (DESIGN §4). Every event a recipient must not miss is stored in its stream
 * with a sequence number; clients remember `{ epoch, lastSeq }` and send it in `resume`.
 */

/** Stream names: one per player, one per game server, one for all staff. */
export const streams = {
  player: (realmId: string, accountId: string): string => `player:${realmId}:${accountId}`,
  gameServer: (serverId: string): string => `server:${serverId}`,
  staff: (): string => 'staff',
} as const;

/** What a client receives for every durable event (the socket.io event name is `event`). */
export interface DeliveredEvent<Name extends string = string, Data = unknown> {
  readonly stream: string;
  /** Changes when the stream's history is reset; a client with another epoch must re-sync. */
  readonly epoch: string;
  /** 1, 2, 3, … per stream, without gaps; a duplicate after a crash carries the same seq. */
  readonly seq: number;
  readonly event: Name;
  readonly data: Data;
  readonly at: string;
}

export interface ResumeRequest {
  readonly epoch?: string;
  readonly lastSeq: number;
}

export type ResyncReason = 'epoch_changed' | 'history_pruned' | 'ahead_of_server';

/** The ack of `resume`: either the missed events follow and then `resumed`, or re-sync over REST. */
export type ResumeAck =
  | {
      readonly ok: true;
      readonly resync: false;
      readonly epoch: string;
      readonly replayed: number;
      readonly lastSeq: number;
    }
  | {
      readonly ok: true;
      readonly resync: true;
      readonly reason: ResyncReason;
      readonly epoch: string;
      readonly lastSeq: number;
    };

/** Sent after the replayed events of a resume: everything up to `lastSeq` has been sent. */
export interface ResumedMarker {
  readonly epoch: string;
  readonly lastSeq: number;
}

export const RESUMED_EVENT = 'resumed';

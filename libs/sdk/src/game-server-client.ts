import {
  type Ack,
  type GameServerEvents,
  type GameServerRequests,
  type PlayerSessionResult,
  type PlayerSessionState,
  type ReportFiledResult,
  type SanctionAckResult,
  type SanctionAction,
  type ServerReportPayload,
} from '@gmdesk/contracts';
import { GmdeskClient, type GmdeskClientOptions, type RequestOptions } from './gmdesk-client';

export interface GameServerClientOptions extends GmdeskClientOptions {
  /** The game server's API key (shown once when the server was registered). */
  readonly apiKey: string;
}

export interface PlayerProfile {
  readonly displayName?: string;
  readonly language?: string;
  /**
   * When the game created the account: a Date, or an ISO 8601 timestamp with Z or an offset.
   * Report scoring uses it to tell brand-new accounts (possible brigading) from established ones;
   * without it, gmdesk can only go by when it first saw the player.
   */
  readonly accountCreatedAt?: Date | string;
}

/** A game server (`/game`): who is online, reports relayed for players, what to show in-game. */
export class GameServerClient extends GmdeskClient<
  GameServerEvents,
  Record<never, never>,
  GameServerRequests
> {
  constructor(options: GameServerClientOptions) {
    super('/game', { apiKey: options.apiKey }, options);
  }

  /** Tells the platform a player logged in or out here (the ack answers quickly: login path). */
  playerSession(
    playerId: string,
    state: PlayerSessionState,
    profile: PlayerProfile = {},
    options?: RequestOptions,
  ): Promise<Ack<PlayerSessionResult>> {
    const { accountCreatedAt, ...rest } = profile;
    return this.request(
      'player.session',
      {
        playerId,
        state,
        ...rest,
        ...(accountCreatedAt !== undefined && {
          accountCreatedAt:
            accountCreatedAt instanceof Date ? accountCreatedAt.toISOString() : accountCreatedAt,
        }),
      },
      options,
    );
  }

  /** Files a report on behalf of `payload.reporterPlayerId`. */
  fileReport(
    payload: ServerReportPayload,
    options?: RequestOptions,
  ): Promise<Ack<ReportFiledResult>> {
    return this.request('report.create', payload, options);
  }

  /**
   * Confirms a sanction was enforced (`issued`) or lifted (`revoked`). Until then the platform
   * sends it again after every reconnect, so enforce idempotently by `sanctionId`.
   */
  ackSanction(
    sanctionId: string,
    action: SanctionAction,
    options?: RequestOptions,
  ): Promise<Ack<SanctionAckResult>> {
    return this.request('sanction.ack', { sanctionId, action }, options);
  }
}

import {
  type Ack,
  type ActiveSanctionPage,
  type ChatBatchPayload,
  type ChatBatchResult,
  type ErrorBody,
  type GameServerEvents,
  type GameServerRequests,
  type PlayerSessionResult,
  type PlayerSessionState,
  type ReportFiledResult,
  type SanctionAckResult,
  type SanctionAction,
  type ServerReportPayload,
} from '@gmdesk/contracts';
import { GmdeskRequestError } from './errors';
import { GmdeskClient, type GmdeskClientOptions, type RequestOptions } from './gmdesk-client';

export interface GameServerClientOptions extends GmdeskClientOptions {
  /** The game server's API key (shown once when the server was registered). */
  readonly apiKey: string;
}

export interface PageRequest {
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** 1-100, 25 by default. */
  readonly limit?: number;
}

const DEFAULT_REST_TIMEOUT_MS = 10_000;

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
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly restTimeoutMs: number;

  constructor(options: GameServerClientOptions) {
    super('/game', { apiKey: options.apiKey }, options);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.restTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REST_TIMEOUT_MS;
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
   * Sends chat lines (up to 5,000, at most 2 MiB as JSON). The ack comes once they are committed:
   * `accepted`, and `rejected` lines by index and reason (bad lines never fail the batch). Keep a
   * batch until its ack and send it again with the same `batchId` after a lost ack or a
   * reconnect: it is stored once. Honour `retryAfterMs` (in the ack, or in the details of a
   * refusal such as `chat_batches_in_flight` or `unavailable`) before the next batch.
   */
  sendChatBatch(
    payload: ChatBatchPayload,
    options?: RequestOptions,
  ): Promise<Ack<ChatBatchResult>> {
    return this.request('chat.batch', payload, options);
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

  /**
   * One page of the sanctions this server must enforce now (REST
   * `GET /realms/:realmId/sanctions/active`, oldest first), for a bootstrap or after `onResync`.
   * Needs no socket connection. Refusals resolve as `{ ok: false, error }`, like socket acks;
   * only a missing or unreadable response rejects (`GmdeskRequestError`).
   */
  async activeSanctions(
    realmId: string,
    page: PageRequest = {},
    options: RequestOptions = {},
  ): Promise<Ack<ActiveSanctionPage>> {
    const url = new URL(`${this.baseUrl}/realms/${encodeURIComponent(realmId)}/sanctions/active`);
    if (page.cursor !== undefined) {
      url.searchParams.set('cursor', page.cursor);
    }
    if (page.limit !== undefined) {
      url.searchParams.set('limit', String(page.limit));
    }
    const what = `GET ${url.pathname}`;
    const timeoutMs = options.timeoutMs ?? this.restTimeoutMs;
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(url, {
        headers: { authorization: `ApiKey ${this.apiKey}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await response.json();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new GmdeskRequestError(
        timedOut ? 'timeout' : error instanceof SyntaxError ? 'invalid_response' : 'network',
        what,
        timedOut
          ? `No answer to ${what} within ${timeoutMs} ms.`
          : `${what} failed: ${String(error)}`,
        { cause: error },
      );
    }
    if (response.ok && isActiveSanctionPage(body)) {
      return { ok: true, items: body.items, nextCursor: body.nextCursor };
    }
    const error = (body as { error?: ErrorBody } | null)?.error;
    if (!response.ok && typeof error?.code === 'string') {
      return { ok: false, error };
    }
    throw new GmdeskRequestError(
      'invalid_response',
      what,
      `${what} answered ${response.status} without the expected body.`,
    );
  }
}

function isActiveSanctionPage(value: unknown): value is ActiveSanctionPage {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as Partial<Record<keyof ActiveSanctionPage, unknown>>;
  return (
    Array.isArray(candidate.items) &&
    (candidate.nextCursor === null || typeof candidate.nextCursor === 'string')
  );
}

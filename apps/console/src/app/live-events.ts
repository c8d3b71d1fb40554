import type {
  ColleagueTypingEvent,
  PlayerTypingEvent,
  PresenceEvent,
  ReportFiledEvent,
  SanctionEnforcementEvent,
  TicketSummaryEvent,
} from '@gmdesk/contracts';
import { StaffClient, type PositionStore, type StreamPosition } from '@gmdesk/sdk';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { caseKeys, fetchTicket, type Typists, type Viewers } from '../features/case/api';
import { statsKeys } from '../features/dashboard/api';
import { queueKeys, type QueueMark } from '../features/queue/api';
import { sanctionKeys } from '../features/sanctions/api';
import type { Page, SanctionDetail, Ticket } from '../types/api';

/**
 * The one place where `/staff` events touch the REST data (TanStack Query cache):
 * - `ticket.created`: kept under queueKeys.arrivals() until the GM shows them ("N new"), so rows
 *   never move under the pointer;
 * - `ticket.updated` / `report.filed`: the row is patched in place in every cached list and marked
 *   (queueKeys.marks()), then re-read from `GET /tickets/:id` for the fields events do not carry
 *   (score, counts, SLA); the open case view is invalidated;
 * - `sanction.enforcement`: the server's chip in sanctionKeys.detail(id) turns to its new state
 *   (pending → enforced); a server the cached detail does not list yet is re-read;
 * - a re-sync (history gone, or a new console) or a reconnect refetches what is on screen;
 * - `presence`, `staff.typing` and `player.typing` (ephemeral) fill caseKeys.presence(id) and
 *   caseKeys.typing(id).
 * It also derives the connection state shown by the banner, from the SDK's onStateChange.
 */

export type ConnectionPhase = 'connecting' | 'live' | 'down' | 'stopped';

export interface ConnectionState {
  readonly phase: ConnectionPhase;
  /** When the connection was lost (phase `down`, or `connecting` at start). */
  readonly since: number;
  /** Why it stopped (`stopped`): the server's refusal. */
  readonly reason?: { readonly code: string; readonly message: string };
}

type Listener = () => void;

class ConnectionStore {
  private state: ConnectionState = { phase: 'connecting', since: Date.now() };
  private readonly listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConnectionState => this.state;

  set(next: ConnectionState): void {
    if (next.phase === this.state.phase && next.reason?.code === this.state.reason?.code) {
      return;
    }
    this.state = next;
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

export const connection = new ConnectionStore();

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}

/** Keeps the stream position across StaffClient instances (a new sign-in makes a new client). */
class MemoryPositionStore implements PositionStore {
  private position: StreamPosition | undefined;
  load(): StreamPosition | undefined {
    return this.position;
  }
  save(position: StreamPosition): void {
    this.position = position;
  }
}

const ROW_REFRESH_DELAY_MS = 250;
/** A typing indicator lasts this long after its last event (typists send one every 3 s). */
export const TYPING_SHOWN_MS = 5_000;

/** Dashboard figures are re-read at most this often while events flow. */
const STATS_THROTTLE_MS = 3_000;

type QueuePages = InfiniteData<Page<Ticket>, string | null>;

function patchLists(
  queryClient: QueryClient,
  ticketId: string,
  patch: (ticket: Ticket) => Ticket,
): boolean {
  let found = false;
  queryClient.setQueriesData<QueuePages>({ queryKey: queueKeys.lists() }, (data) => {
    if (!data) {
      return data;
    }
    let changed = false;
    const pages = data.pages.map((page) => {
      if (!page.items.some((item) => item.id === ticketId)) {
        return page;
      }
      changed = true;
      return {
        ...page,
        items: page.items.map((item) => (item.id === ticketId ? patch(item) : item)),
      };
    });
    found ||= changed;
    return changed ? { ...data, pages } : data;
  });
  return found;
}

export class LiveEvents {
  private client: StaffClient | undefined;
  private readonly store = new MemoryPositionStore();
  private everLive = false;
  private readonly rowRefreshes = new Map<string, ReturnType<typeof setTimeout>>();
  private statsRefresh: ReturnType<typeof setTimeout> | undefined;
  private statsRefreshedAt = 0;

  constructor(private readonly queryClient: QueryClient) {}

  /**
   * Connects for the signed-in GM, resuming the stream. `token` is asked at every (re)connect, so
   * the renewed access token is used without a new client: when the gateway ends the socket at
   * its token's expiry, the SDK reconnects with the current one.
   */
  start(token: () => Promise<string | null>): StaffClient {
    this.stopClient();
    const client = new StaffClient({
      baseUrl: socketOrigin(),
      token: async () => (await token()) ?? '',
      store: this.store,
    });
    this.client = client;
    connection.set({ phase: 'connecting', since: Date.now() });

    client.on('ticket.created', (event) => this.onCreated(event));
    client.on('ticket.updated', (event) => this.onUpdated(event));
    client.on('report.filed', (event) => this.onReportFiled(event));
    client.on('sanction.enforcement', (event) => this.onEnforcement(event));
    for (const name of ['ticket.created', 'ticket.updated', 'report.filed'] as const) {
      client.on(name, () => this.refreshStats());
    }
    client.on('presence', (event) => this.setViewers(event));
    client.on('staff.typing', (event) => this.setTyping(event));
    client.on('player.typing', (event) => this.setTyping(event));
    client.onResync(() => this.refetchAll());
    client.onResumed(() => {
      connection.set({ phase: 'live', since: Date.now() });
      if (this.everLive) {
        // Back after a gap: the replay brought the events, but a refetch also catches what
        // events do not carry (SLA clocks moving, counts).
        this.refetchAll();
      }
      this.everLive = true;
    });
    // `connected` is reported by onResumed above (after the replay); the SDK reconnects by itself.
    client.onStateChange((state, reason) => {
      if (this.client !== client) {
        return;
      }
      if (state === 'disconnected' && connection.getSnapshot().phase === 'live') {
        connection.set({ phase: 'down', since: Date.now() });
      } else if (state === 'stopped' && reason) {
        connection.set({ phase: 'stopped', since: Date.now(), reason });
      }
    });
    client.onError((error) => console.warn('[gmdesk live]', error));
    client.connect({ timeoutMs: 2_147_483_647 }).catch((error: unknown) => {
      const reason = client.closeReason ?? {
        code: 'connect_failed',
        message: error instanceof Error ? error.message : 'Could not connect.',
      };
      connection.set({ phase: 'stopped', since: Date.now(), reason });
    });
    return client;
  }

  get staffClient(): StaffClient | undefined {
    return this.client;
  }

  stop(): void {
    this.stopClient();
    this.everLive = false;
    connection.set({ phase: 'connecting', since: Date.now() });
  }

  private stopClient(): void {
    const client = this.client;
    this.client = undefined;
    client?.close();
    for (const timer of this.rowRefreshes.values()) {
      clearTimeout(timer);
    }
    this.rowRefreshes.clear();
    clearTimeout(this.statsRefresh);
    this.statsRefresh = undefined;
  }

  /**
   * Re-reads the dashboard's figures (only the queries on screen refetch; the rest go stale):
   * at once after a quiet spell, then at most once per STATS_THROTTLE_MS while events flow.
   */
  private refreshStats(): void {
    if (this.statsRefresh !== undefined) {
      return;
    }
    const wait = Math.max(0, this.statsRefreshedAt + STATS_THROTTLE_MS - Date.now());
    this.statsRefresh = setTimeout(() => {
      this.statsRefresh = undefined;
      this.statsRefreshedAt = Date.now();
      void this.queryClient.invalidateQueries({ queryKey: statsKeys.all() });
    }, wait);
  }

  private onCreated(event: TicketSummaryEvent): void {
    this.queryClient.setQueryData<readonly TicketSummaryEvent[]>(
      queueKeys.arrivals(),
      (arrivals = []) => [...arrivals.filter((a) => a.ticketId !== event.ticketId), event],
    );
    this.mark(event.ticketId, 'new');
  }

  private onUpdated(event: TicketSummaryEvent): void {
    const inList = patchLists(this.queryClient, event.ticketId, (ticket) => ({
      ...ticket,
      status: event.status,
      priority: event.priority,
      category: event.category,
      subject: event.subject,
      assigneeId: event.assigneeId,
    }));
    if (!inList) {
      // Not on screen: it may have just come to match a list's filters (reopened, reassigned).
      this.onCreated(event);
    } else {
      this.mark(event.ticketId, event.change);
      this.refreshRow(event.ticketId);
    }
    void this.queryClient.invalidateQueries({ queryKey: caseKeys.detail(event.ticketId) });
  }

  private onReportFiled(event: ReportFiledEvent): void {
    this.mark(event.ticketId, 'report_added');
    this.refreshRow(event.ticketId);
    void this.queryClient.invalidateQueries({ queryKey: caseKeys.detail(event.ticketId) });
  }

  private onEnforcement(event: SanctionEnforcementEvent): void {
    let patched = false;
    this.queryClient.setQueryData<SanctionDetail>(
      sanctionKeys.detail(event.sanctionId),
      (detail) => {
        if (!detail) {
          return detail;
        }
        const enforcement = detail.enforcement.map((entry) => {
          if (entry.serverId !== event.serverId || entry.action !== event.action) {
            return entry;
          }
          patched = true;
          return { ...entry, status: event.state, ackedAt: event.at };
        });
        return patched ? { ...detail, enforcement } : detail;
      },
    );
    if (!patched) {
      // Not on screen (a no-op), still loading (the refetch replaces an answer that predates the
      // ack), or a server the detail listed as not connected yet: read it again.
      void this.queryClient.invalidateQueries({ queryKey: sanctionKeys.detail(event.sanctionId) });
    }
  }

  /** Presence comes with `ticket.watch`'s ack (the case view) and with each `presence` event. */
  setViewers(event: PresenceEvent): void {
    this.queryClient.setQueryData<Viewers>(caseKeys.presence(event.ticketId), event.viewers);
  }

  /** Who is typing on a case: another GM (reply or note), or its player; each for TYPING_SHOWN_MS. */
  private setTyping(event: ColleagueTypingEvent | PlayerTypingEvent): void {
    const typist =
      'staffId' in event
        ? { key: event.staffId, displayName: event.displayName, internal: event.internal }
        : { key: 'player', displayName: null, internal: false };
    const until = Date.now() + TYPING_SHOWN_MS;
    this.queryClient.setQueryData<Typists>(caseKeys.typing(event.ticketId), (typists = []) => [
      ...typists.filter((other) => other.key !== typist.key && other.until > Date.now()),
      { ...typist, until },
    ]);
  }

  private mark(ticketId: string, change: string): void {
    this.queryClient.setQueryData<Readonly<Record<string, QueueMark>>>(
      queueKeys.marks(),
      (marks = {}) => ({ ...marks, [ticketId]: { change, at: Date.now() } }),
    );
  }

  /** Re-reads one row (score, counts, SLA) after a burst of events about it. */
  private refreshRow(ticketId: string): void {
    clearTimeout(this.rowRefreshes.get(ticketId));
    this.rowRefreshes.set(
      ticketId,
      setTimeout(() => {
        this.rowRefreshes.delete(ticketId);
        fetchTicket(ticketId)
          .then(({ messages: _messages, reports: _reports, ...ticket }) => {
            patchLists(this.queryClient, ticketId, () => ticket);
          })
          .catch(() => undefined);
      }, ROW_REFRESH_DELAY_MS),
    );
  }

  private refetchAll(): void {
    void this.queryClient.invalidateQueries({ queryKey: queueKeys.lists() });
    void this.queryClient.invalidateQueries({ queryKey: caseKeys.details() });
    void this.queryClient.invalidateQueries({ queryKey: statsKeys.all() });
  }
}

/**
 * Where the live connection goes: the gateway the api names in a meta tag (CONSOLE_GATEWAY_URL,
 * when no gateway shares the api's port), else this page's own origin (npm start).
 */
function socketOrigin(): string {
  const named = document
    .querySelector<HTMLMetaElement>('meta[name="gmdesk-gateway-url"]')
    ?.getAttribute('content');
  return named || window.location.origin;
}

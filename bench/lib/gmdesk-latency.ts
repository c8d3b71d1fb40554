import { streams } from '@gmdesk/contracts';
import {
  ReportsService,
  TicketsService,
  TicketViewService,
  type PlayerPrincipal,
  type StaffPrincipal,
} from '@gmdesk/core';
import { DELIVERY_CHANNEL } from '@gmdesk/delivery';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { ApiTestContext, signPlayerToken } from '../../test/support/api-context';
import { closeAll, connectMany, resumeFresh } from './clients';
import { findDispatcher } from './gmdesk-app';
import { LatencyRecorder, type LatencySummary } from './histogram';
import { dataOf, ReceiptBoard } from './receipts';
import type { BenchSettings } from './settings';
import { forEachLimited, seconds, waitUntil } from './timing';

export interface ReplySeries {
  /** Commit-call start → event received by the client (staff: by every staff socket). */
  readonly latency: LatencySummary;
  /** Commit-call start → the service call resolved (its transaction, plus a read after commit). */
  readonly commitCall: LatencySummary;
  /** Commit-call start → the NOTIFY seen by a LISTEN connection of the bench (≈ the commit). */
  readonly untilNotify: LatencySummary;
  /** NOTIFY seen → event received: the gateway's read of the stream, the emit and the socket. */
  readonly afterNotify: LatencySummary;
  /** Share of samples whose event arrived before the service call had returned. */
  readonly receivedBeforeCallReturned: number;
}

export interface GmdeskLatencyResults {
  readonly reply: ReadonlyMap<number, ReplySeries>;
  /** Report filed → every staff socket has `report.filed`. */
  readonly report: ReplySeries;
  /** Reference: a raw PostgreSQL transaction (INSERT + pg_notify) → LISTEN wake-up → SELECT. */
  readonly pgFloor: LatencySummary;
  readonly postgresVersion: string;
  readonly setup: {
    readonly ticketsOpened: number;
    readonly ticketSeconds: number;
    readonly connectSeconds: Record<number, number>;
    /** Events a fresh /staff socket was sent by its first `resume` (all staff sockets together). */
    readonly staffEventsReplayed: number;
  };
}

const DAY_SECONDS = 24 * 3600;

function playerPrincipal(realmId: string, accountId: string): PlayerPrincipal {
  return {
    kind: 'player',
    realmId,
    accountId,
    expiresAt: new Date(Date.now() + DAY_SECONDS * 1000),
  };
}

/**
 * A LISTEN connection of the bench's own on gmdesk's delivery channel: it is woken by the same
 * commit as the gateway's listener, in the same process, so its timestamp splits a sample into
 * "until committed" and "after the commit".
 */
class NotifyClock {
  private readonly client: Client;
  private waiting?: { readonly stream: string; readonly resolve: (at: number) => void };

  constructor(url: string) {
    this.client = new Client({ connectionString: url, application_name: 'bench-notify-clock' });
    this.client.on('notification', (message) => {
      const at = performance.now();
      const payload = message.payload ?? '';
      const stream = payload.slice(payload.indexOf(' ') + 1);
      if (this.waiting?.stream === stream) {
        this.waiting.resolve(at);
        this.waiting = undefined;
      }
    });
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.client.query(`LISTEN ${DELIVERY_CHANNEL}`);
  }

  /** The time of the next hint for `stream`; undefined if none comes within `timeoutMs`. */
  next(stream: string, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.waiting = {
        stream,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  }

  stop(): Promise<void> {
    return this.client.end();
  }
}

/** One series: commit-call → client receipt, split at the commit's NOTIFY. */
class SeriesRecorder {
  private readonly latency = new LatencyRecorder();
  private readonly commitCall = new LatencyRecorder();
  private readonly untilNotify = new LatencyRecorder();
  private readonly afterNotify = new LatencyRecorder();
  private early = 0;
  private recorded = 0;

  constructor(private readonly warmup: number) {}

  /**
   * Runs one sample: `received` is the client-side receipt time (rejects on timeout), `notified`
   * the NOTIFY time. A receipt that never comes counts as lost.
   */
  async sample(
    index: number,
    received: Promise<number>,
    notified: Promise<number | undefined>,
    call: () => Promise<unknown>,
  ): Promise<void> {
    const arrival = received.then(
      (at) => at,
      () => undefined,
    );
    const startedAt = performance.now();
    // A failed call is a bench bug or a gmdesk bug: it stops the run.
    const calledAt = await call().then(() => performance.now());
    const receivedAt = await arrival;
    const notifiedAt = await notified;
    if (index < this.warmup) {
      return;
    }
    this.recorded += 1;
    if (receivedAt === undefined) {
      this.latency.lost();
      return;
    }
    this.latency.record(receivedAt - startedAt);
    this.commitCall.record(calledAt - startedAt);
    if (notifiedAt !== undefined) {
      this.untilNotify.record(notifiedAt - startedAt);
      this.afterNotify.record(Math.max(0, receivedAt - notifiedAt));
    }
    if (receivedAt < calledAt) {
      this.early += 1;
    }
  }

  summary(): ReplySeries {
    return {
      latency: this.latency.summary(),
      commitCall: this.commitCall.summary(),
      untilNotify: this.untilNotify.summary(),
      afterNotify: this.afterNotify.summary(),
      receivedBeforeCallReturned: this.recorded === 0 ? 0 : this.early / this.recorded,
    };
  }
}

/**
 * Figures 1 and 2 on the real stack: api + gateway booted in this process as the e2e tests boot
 * them (`ApiTestContext.start(…, { gateway: true })`, a fresh database cloned from the migrated
 * template), clients in this process too.
 */
export async function runGmdeskLatency(
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<GmdeskLatencyResults> {
  const ctx = await ApiTestContext.start({}, { gateway: true });
  const clock = new NotifyClock(ctx.testApp.database.url);
  const players: Socket[] = [];
  const staffSockets: Socket[] = [];
  try {
    await clock.start();
    const app = ctx.testApp.app;
    const dispatcher = findDispatcher(app);
    if (!dispatcher) {
      throw new Error('StreamDispatcher not found in the Nest container');
    }
    const realm = await ctx.newRealm();
    const agent = await ctx.newStaff('agent');
    const staffPrincipal: StaffPrincipal = {
      kind: 'staff',
      staffId: agent.id,
      role: 'agent',
      realms: [],
    };

    // One support ticket per player, through the service (the REST handler's own call).
    const maxPlayers = Math.max(...settings.playerSizes);
    const accountIds = Array.from({ length: maxPlayers }, (_, i) => `bench-p${i}`);
    const ticketIds: string[] = new Array<string>(maxPlayers);
    const tickets = ctx.get(TicketsService);
    let started = Date.now();
    await forEachLimited(maxPlayers, settings.ticketConcurrency, async (i) => {
      const { ticket } = await tickets.openSupportTicket(
        playerPrincipal(realm.id, accountIds[i] ?? ''),
        { category: 'stuck', subject: `Bench ticket ${i}`, body: 'I am stuck in a wall.' },
      );
      ticketIds[i] = ticket.id;
    });
    const ticketSeconds = (Date.now() - started) / 1000;
    log(`  gmdesk: ${maxPlayers} support tickets opened (${ticketSeconds.toFixed(1)} s)`);
    const tokens = await Promise.all(
      accountIds.map((accountId) =>
        signPlayerToken(realm.secret, realm.id, accountId, { expiresInSeconds: DAY_SECONDS }),
      ),
    );

    const view = ctx.get(TicketViewService);
    const board = new ReceiptBoard('ticket.reply');
    const reply = new Map<number, ReplySeries>();
    const connectSeconds: Record<number, number> = {};
    let pgFloor: LatencySummary | undefined;
    for (const size of settings.playerSizes) {
      started = Date.now();
      const auths = tokens.slice(players.length, size).map((token) => ({ token }));
      // Connected and resumed (live delivery starts with the resume ack).
      const more = await connectMany(ctx.url, '/player', auths, {
        concurrency: settings.connectConcurrency,
        ready: async (socket) => {
          await resumeFresh(socket);
        },
      });
      board.listen(more, players.length);
      players.push(...more);
      await waitUntil(() => dispatcher.localSocketCount() >= size, 10_000, 'sockets registered');
      connectSeconds[size] = (Date.now() - started) / 1000;
      log(`  gmdesk: ${size} /player clients connected and resumed (${seconds(started)})`);

      if (size === maxPlayers) {
        pgFloor = await measurePgFloor(ctx.testApp.database.url, settings);
      }

      const series = new SeriesRecorder(settings.warmup);
      for (let k = 0; k < settings.warmup + settings.replies; k += 1) {
        const index = randomInt(size);
        const body = `bench reply ${size}-${k}`;
        const received = board.expect(
          index,
          (payload) => dataOf<{ body: string }>(payload).body === body,
          settings.sampleTimeoutMs,
        );
        const notified = clock.next(
          streams.player(realm.id, accountIds[index] ?? ''),
          settings.sampleTimeoutMs,
        );
        await series.sample(k, received, notified, () =>
          view.addMessage(staffPrincipal, ticketIds[index] ?? '', { body }),
        );
      }
      reply.set(size, series.summary());
      log(`  gmdesk: ${settings.replies} replies measured with ${size} players connected`);
    }

    // Figure 2: the staff console. A fresh login so the staff token cannot expire mid-run.
    const moderator = await ctx.newStaff('agent');
    const staffBoard = new ReceiptBoard('report.filed');
    let staffReplayed = 0;
    staffSockets.push(
      ...(await connectMany(
        ctx.url,
        '/staff',
        Array.from({ length: settings.staffSockets }, () => ({ token: moderator.token })),
        {
          ready: async (socket) => {
            staffReplayed += await resumeFresh(socket);
          },
        },
      )),
    );
    staffBoard.listen(staffSockets);
    log(
      `  gmdesk: ${staffSockets.length} /staff sockets resumed (${staffReplayed} earlier staff-stream events replayed to them)`,
    );
    const reports = ctx.get(ReportsService);
    const reportSeries = new SeriesRecorder(settings.warmup);
    for (let k = 0; k < settings.warmup + settings.reports; k += 1) {
      // Distinct reporter and target every time: no merge, no cooldown, no case growth.
      const reporter = `bench-r${k}`;
      const received = Promise.all(
        staffSockets.map((_, index) =>
          staffBoard.expect(
            index,
            (payload) =>
              dataOf<{ reporter: { accountId: string } }>(payload).reporter?.accountId === reporter,
            settings.sampleTimeoutMs,
          ),
        ),
      ).then((times) => Math.max(...times));
      const notified = clock.next(streams.staff(), settings.sampleTimeoutMs);
      await reportSeries.sample(k, received, notified, () =>
        reports.file(playerPrincipal(realm.id, reporter), {
          reportedAccountId: `bench-o${k}`,
          category: 'cheating',
          description: 'Speed hacking near the bank.',
          occurredAt: new Date(Date.now() - 60_000),
        }),
      );
    }
    log(`  gmdesk: ${settings.reports} reports measured with ${staffSockets.length} staff sockets`);

    return {
      reply,
      report: reportSeries.summary(),
      pgFloor: pgFloor ?? new LatencyRecorder().summary(),
      postgresVersion: await postgresVersion(ctx.testApp.database.url),
      setup: {
        ticketsOpened: maxPlayers,
        ticketSeconds,
        connectSeconds,
        staffEventsReplayed: staffReplayed,
      },
    };
  } finally {
    closeAll(staffSockets);
    closeAll(players);
    await clock.stop().catch(() => undefined);
    await ctx.close();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/**
 * The database part of the path with nothing else: one connection commits an INSERT + pg_notify,
 * a second one LISTENs and, woken, SELECTs the row. Measured in the same process and under the same
 * connected-socket load as the largest reply series.
 */
async function measurePgFloor(url: string, settings: BenchSettings): Promise<LatencySummary> {
  const writer = new Client({ connectionString: url, application_name: 'bench-pg-floor' });
  const listener = new Client({ connectionString: url, application_name: 'bench-pg-floor' });
  await writer.connect();
  await listener.connect();
  try {
    await writer.query(
      'CREATE TABLE IF NOT EXISTS bench_notify_probe (id bigserial PRIMARY KEY, payload jsonb NOT NULL)',
    );
    await listener.query('LISTEN bench_notify_probe');
    let waiting: ((id: string) => void) | undefined;
    listener.on('notification', (message) => waiting?.(message.payload ?? ''));
    const recorder = new LatencyRecorder();
    for (let k = 0; k < settings.warmup + settings.replies; k += 1) {
      const woken = new Promise<string>((resolve) => (waiting = resolve));
      const startedAt = performance.now();
      await writer.query('BEGIN');
      const { rows } = await writer.query<{ id: string }>(
        'INSERT INTO bench_notify_probe (payload) VALUES ($1) RETURNING id',
        [JSON.stringify({ body: `bench reply ${k}`, at: new Date().toISOString() })],
      );
      await writer.query("SELECT pg_notify('bench_notify_probe', $1)", [rows[0]?.id ?? '0']);
      await writer.query('COMMIT');
      const id = await Promise.race([
        woken,
        new Promise<string>((_, reject) =>
          setTimeout(() => reject(new Error('pg floor: NOTIFY never arrived')), 5000).unref(),
        ),
      ]);
      await listener.query('SELECT payload FROM bench_notify_probe WHERE id = $1', [id]);
      if (k >= settings.warmup) {
        recorder.record(performance.now() - startedAt);
      }
    }
    return recorder.summary();
  } finally {
    await writer.end();
    await listener.end();
  }
}

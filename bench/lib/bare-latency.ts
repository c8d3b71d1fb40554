import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { startBareServer } from './bare-server';
import { closeAll, connectMany } from './clients';
import { LatencyRecorder, type LatencySummary } from './histogram';
import { dataOf, ReceiptBoard, type Envelope } from './receipts';
import type { BenchSettings } from './settings';
import { seconds, waitUntil } from './timing';

export interface BareLatencyResults {
  /** `socket.emit` of a ticket.reply-sized envelope to one random client, by connected clients. */
  readonly unicast: ReadonlyMap<number, LatencySummary>;
  /** The same envelope emitted to each staff socket in turn, until all have it. */
  readonly staff: LatencySummary;
}

const FAKE_REALM = 'realm-bench0000';

/** What gmdesk sends for `ticket.reply`, with the same fields and similar sizes. */
function replyEnvelope(seq: number, index: number, body: string): Envelope<unknown> {
  const now = new Date().toISOString();
  return {
    stream: `player:${FAKE_REALM}:bench-p${index}`,
    epoch: randomUUID(),
    seq,
    event: 'ticket.reply',
    data: {
      ticketId: randomUUID(),
      messageId: randomUUID(),
      body,
      authorName: 'Test agent',
      createdAt: now,
    },
    at: now,
  };
}

function reportEnvelope(seq: number, reporter: string): Envelope<unknown> {
  const now = new Date().toISOString();
  return {
    stream: 'staff',
    epoch: randomUUID(),
    seq,
    event: 'report.filed',
    data: {
      reportId: randomUUID(),
      ticketId: randomUUID(),
      realmId: FAKE_REALM,
      category: 'cheating',
      reported: { accountId: `bench-o${seq}`, displayName: null },
      reporter: { accountId: reporter, displayName: null },
    },
    at: now,
  };
}

/**
 * The raw baseline for figures 1 and 2, in the same layout as gmdesk's run: one process holds the
 * socket.io server and all its clients; the same client counts; one emit at a time.
 */
export async function runBareLatency(
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<BareLatencyResults> {
  const server = await startBareServer({ namespaces: ['/player', '/staff'], track: true });
  const players: Socket[] = [];
  const staff: Socket[] = [];
  const board = new ReceiptBoard('ticket.reply');
  const unicast = new Map<number, LatencySummary>();
  try {
    for (const size of settings.playerSizes) {
      const started = Date.now();
      const auths = Array.from({ length: size - players.length }, (_, k) => ({
        i: players.length + k,
      }));
      const more = await connectMany(server.url, '/player', auths, {
        concurrency: settings.connectConcurrency,
      });
      board.listen(more, players.length);
      players.push(...more);
      await waitUntil(() => server.byIndex.size >= size, 30_000, 'bare server connections');
      log(`  bare: ${size} /player clients connected (${seconds(started)})`);
      const recorder = new LatencyRecorder();
      for (let k = 0; k < settings.warmup + settings.replies; k += 1) {
        const index = randomInt(size);
        const body = `bench reply ${size}-${k}`;
        const received = board.expect(
          index,
          (payload) => dataOf<{ body: string }>(payload).body === body,
          settings.sampleTimeoutMs,
        );
        const target = server.byIndex.get(index);
        const startedAt = performance.now();
        target?.emit('ticket.reply', replyEnvelope(k + 1, index, body));
        try {
          const receivedAt = await received;
          if (k >= settings.warmup) {
            recorder.record(receivedAt - startedAt);
          }
        } catch {
          if (k >= settings.warmup) {
            recorder.lost();
          }
        }
      }
      unicast.set(size, recorder.summary());
    }

    const staffBoard = new ReceiptBoard('report.filed');
    const staffAuths = Array.from({ length: settings.staffSockets }, (_, k) => ({
      i: 1_000_000 + k,
    }));
    staff.push(...(await connectMany(server.url, '/staff', staffAuths)));
    staffBoard.listen(staff);
    await waitUntil(() => server.count('/staff') >= staff.length, 10_000, 'bare staff sockets');
    const targets = staffAuths.map(({ i }) => server.byIndex.get(i));
    const recorder = new LatencyRecorder();
    for (let k = 0; k < settings.warmup + settings.reports; k += 1) {
      const reporter = `bench-r${k}`;
      const received = Promise.all(
        staff.map((_, index) =>
          staffBoard.expect(
            index,
            (payload) =>
              dataOf<{ reporter: { accountId: string } }>(payload).reporter?.accountId === reporter,
            settings.sampleTimeoutMs,
          ),
        ),
      );
      const startedAt = performance.now();
      const envelope = reportEnvelope(k + 1, reporter);
      for (const target of targets) {
        target?.emit('report.filed', envelope);
      }
      try {
        const times = await received;
        if (k >= settings.warmup) {
          recorder.record(Math.max(...times) - startedAt);
        }
      } catch {
        if (k >= settings.warmup) {
          recorder.lost();
        }
      }
    }
    return { unicast, staff: recorder.summary() };
  } finally {
    closeAll(staff);
    closeAll(players);
    await server.close();
  }
}

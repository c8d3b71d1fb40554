import { streams, type DeliveredEvent } from '@gmdesk/contracts';
import { connectSocket, emitAck, waitForEvent, withTimeout } from '@gmdesk/testing';
import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../../support/api-context';

/** What a raw client saw, in arrival order: durable events by seq, and the `resumed` marker. */
type Seen = { kind: 'event'; seq: number; name: string } | { kind: 'resumed'; lastSeq: number };

/**
 * Server-side delivery order seen through a plain socket.io-client (no SDK, so no client-side
 * reordering or de-duplication can hide a server bug), and recovery of a lost NOTIFY.
 */
describe('delivery order and recovery, seen by a raw socket.io client', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({ rateLimitPerMinute: 100_000 }, { gateway: true });
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
  });

  afterAll(async () => {
    for (const socket of sockets) {
      socket.close();
    }
    await sut.close();
  });

  const openTicket = async (player: TestPlayer): Promise<string> => {
    const response = await sut
      .http()
      .post('/tickets')
      .set('authorization', player.auth)
      .send({ category: 'stuck', subject: 'Stuck', body: 'Help' })
      .expect(201);
    return (response.body as { id: string }).id;
  };

  const reply = (ticketId: string, body: string) =>
    sut
      .http()
      .post(`/tickets/${ticketId}/messages`)
      .set('authorization', agent.auth)
      .send({ body })
      .expect(201);

  interface Recording {
    readonly socket: Socket;
    readonly seen: Seen[];
    /** Resolves once `count` durable events have arrived (rejects after a timeout). */
    readonly events: (count: number) => Promise<void>;
  }

  const connectRecording = async (player: TestPlayer): Promise<Recording> => {
    const socket = await connectSocket(sut.url, '/player', { auth: { token: player.token } });
    sockets.push(socket);
    const seen: Seen[] = [];
    const waiters: { count: number; resolve: () => void }[] = [];
    const eventCount = (): number => seen.filter((entry) => entry.kind === 'event').length;
    socket.onAny((name: string, payload: unknown) => {
      if (name === 'resumed') {
        seen.push({ kind: 'resumed', lastSeq: (payload as { lastSeq: number }).lastSeq });
      } else if (typeof (payload as DeliveredEvent | undefined)?.seq === 'number') {
        seen.push({ kind: 'event', seq: (payload as DeliveredEvent).seq, name });
      }
      for (const waiter of waiters.filter((w) => eventCount() >= w.count)) {
        waiter.resolve();
      }
    });
    return {
      socket,
      seen,
      events: (count) =>
        withTimeout(
          new Promise<void>((resolve) =>
            eventCount() >= count ? resolve() : waiters.push({ count, resolve }),
          ),
          10_000,
          `${count} durable events`,
        ),
    };
  };

  it('replays missed events before the resumed marker and live ones after, with consecutive seqs and no repeats', async () => {
    const player = await sut.newPlayer(realm);
    const ticketId = await openTicket(player);
    // Missed while offline: the first reply also moves the ticket to open (reply + status).
    for (let i = 0; i < 4; i += 1) {
      await reply(ticketId, `Offline reply ${i}`);
    }
    const { socket, seen, events } = await connectRecording(player);
    // A second connection of the same player is live already: once it has the next events, this
    // gateway has pumped them, so the first connection (connected, not yet resumed) had its chance
    // to get them too, ahead of its history. It must not.
    const witness = await connectRecording(player);
    await emitAck(witness.socket, 'resume', { lastSeq: 0 });
    for (let i = 0; i < 3; i += 1) {
      await reply(ticketId, `Before resume ${i}`);
    }
    await witness.events(8);

    const ack = await emitAck(socket, 'resume', { lastSeq: 0 });
    const live = await Promise.all(
      Array.from({ length: 3 }, (_, i) => reply(ticketId, `Live ${i}`)),
    );
    await events(11);

    expect(live).toHaveLength(3);
    expect(ack).toMatchObject({ ok: true, resync: false, replayed: 8, lastSeq: 8 });
    const seqs = seen.flatMap((entry) => (entry.kind === 'event' ? [entry.seq] : []));
    expect(seqs).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(seen.findIndex((entry) => entry.kind === 'resumed')).toBe(8);
    expect(seen[8]).toEqual({ kind: 'resumed', lastSeq: 8 });
  });

  it('delivers an event whose NOTIFY was lost once the listener connection comes back', async () => {
    const player = await sut.newPlayer(realm);
    const ticketId = await openTicket(player);
    const { socket } = await connectRecording(player);
    await emitAck(socket, 'resume', { lastSeq: 0 });
    const dataSource = sut.get(DataSource);
    const stream = streams.player(realm.id, player.accountId);

    // Committed without its NOTIFY, exactly what a listener that was away would have missed.
    await dataSource.query(
      `WITH counter AS (
         INSERT INTO delivery_streams (stream, last_seq) VALUES ($1, 1)
         ON CONFLICT (stream) DO UPDATE SET last_seq = delivery_streams.last_seq + 1
         RETURNING last_seq
       )
       INSERT INTO delivery_events (stream, seq, event, payload)
       SELECT $1, last_seq, 'ticket.status', $2::jsonb FROM counter`,
      [stream, JSON.stringify({ ticketId, status: 'pending' })],
    );
    const arrived = waitForEvent<DeliveredEvent>(socket, 'ticket.status', { timeoutMs: 10_000 });
    const terminated: { pid: number }[] = await dataSource.query(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
        WHERE application_name = 'gmdesk-delivery-listener' AND datname = current_database()`,
    );

    // The gateway's delivery listener (and the api's revocation listener, also ended here).
    expect(terminated.length).toBeGreaterThanOrEqual(1);
    expect(await arrived).toMatchObject({ seq: 1, data: { ticketId, status: 'pending' } });
  });
});

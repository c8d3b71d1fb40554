import { connectSocket, emitAck, type AckBody } from '@gmdesk/testing';
import type { PoolClient } from 'pg';
import type { Socket } from 'socket.io-client';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

/**
 * Bursts of writes on a deliberately small pool. A transaction holds one connection; if anything
 * inside it asked the pool for a second one, a burst as large as the pool would leave every
 * transaction waiting for a connection another one holds, and requests would fail with 5xx once
 * the acquire timeout passed (libs/db/src/transaction.ts makes such a query fail at once instead).
 */
/** Generous: the bursts and their setup run on a 2-core box, often beside other test files. */
const BURST_TIMEOUT_MS = 120_000;

describe('concurrent writes on a pool of four connections', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start(
      {
        databasePool: { size: 4, acquireTimeoutMs: 10_000 },
        rateLimitPerMinute: 100_000,
      },
      { gateway: true },
    );
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
  });

  afterAll(async () => {
    for (const socket of sockets) {
      socket.close();
    }
    await sut.close();
  });

  const openTicket = async (player: TestPlayer, subject: string): Promise<string> => {
    const response = await sut
      .http()
      .post('/tickets')
      .set('authorization', player.auth)
      .send({ category: 'stuck', subject, body: 'Please help' })
      .expect(201);
    return (response.body as { id: string }).id;
  };

  /** `count` tickets opened by `players` players (round robin), with their owners. */
  const openTickets = async (
    players: number,
    count: number,
  ): Promise<{ player: TestPlayer; ticketId: string }[]> => {
    const owners = await Promise.all(Array.from({ length: players }, () => sut.newPlayer(realm)));
    // Opened twenty at a time: setup, not the burst under test.
    const tickets: { player: TestPlayer; ticketId: string }[] = [];
    for (let start = 0; start < count; start += 20) {
      const batch = Array.from({ length: Math.min(20, count - start) }, (_, k) => start + k);
      tickets.push(
        ...(await Promise.all(
          batch.map(async (i) => {
            const player = owners[i % players];
            return { player, ticketId: await openTicket(player, `Ticket ${i}`) };
          }),
        )),
      );
    }
    return tickets;
  };

  const statusesOf = (responses: Response[]): number[] =>
    [...new Set(responses.map((response) => response.status))].sort();

  const messagesOf = async (ticketId: string): Promise<unknown[]> => {
    const response = await sut
      .http()
      .get(`/tickets/${ticketId}`)
      .set('authorization', agent.auth)
      .expect(200);
    return (response.body as { messages: unknown[] }).messages;
  };

  it(
    'answers 100 concurrent staff replies on one ticket with 201, and keeps every reply',
    async () => {
      const [{ ticketId }] = await openTickets(1, 1);

      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          sut
            .http()
            .post(`/tickets/${ticketId}/messages`)
            .set('authorization', agent.auth)
            .send({ body: `Reply ${i}` }),
        ),
      );

      expect(statusesOf(responses)).toEqual([201]);
      expect(await messagesOf(ticketId)).toHaveLength(101);
    },
    BURST_TIMEOUT_MS,
  );

  it(
    'answers 100 concurrent status changes on one ticket with 200 or 409, never 5xx',
    async () => {
      const [{ ticketId }] = await openTickets(1, 1);
      const statuses = ['open', 'pending', 'solved', 'open'] as const;

      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          sut
            .http()
            .post(`/tickets/${ticketId}/status`)
            .set('authorization', agent.auth)
            .send({ status: statuses[i % statuses.length] }),
        ),
      );

      // Some transitions are illegal from whatever state the previous change left (409); none fail.
      expect(statusesOf(responses).every((status) => status === 200 || status === 409)).toBe(true);
      expect(responses.filter((response) => response.status === 200).length).toBeGreaterThan(0);
    },
    BURST_TIMEOUT_MS,
  );

  it(
    'answers 200 concurrent player messages over 200 tickets with 201',
    async () => {
      const tickets = await openTickets(20, 200);

      const responses = await Promise.all(
        tickets.map(({ player, ticketId }) =>
          sut
            .http()
            .post(`/tickets/${ticketId}/messages`)
            .set('authorization', player.auth)
            .send({ body: 'Any news?' }),
        ),
      );

      expect(statusesOf(responses)).toEqual([201]);
      const counts = await Promise.all(
        tickets.slice(0, 5).map(async ({ ticketId }) => (await messagesOf(ticketId)).length),
      );
      expect(counts).toEqual([2, 2, 2, 2, 2]);
    },
    BURST_TIMEOUT_MS,
  );

  it(
    'acknowledges 200 concurrent player messages over sockets, on 200 tickets of 20 players',
    async () => {
      const tickets = await openTickets(20, 200);
      const socketOf = new Map<string, Socket>();
      for (const { player } of tickets) {
        if (!socketOf.has(player.accountId)) {
          const socket = await connectSocket(sut.url, '/player', { auth: { token: player.token } });
          sockets.push(socket);
          socketOf.set(player.accountId, socket);
        }
      }

      // Ten events per connection at once: inside the per-connection burst allowance.
      const acks: AckBody[] = await Promise.all(
        tickets.map(({ player, ticketId }) =>
          emitAck(
            socketOf.get(player.accountId)!,
            'ticket.message',
            { ticketId, body: 'Hello?' },
            30_000,
          ),
        ),
      );

      expect(acks.filter((ack) => !ack.ok)).toEqual([]);
      expect(await messagesOf(tickets[0].ticketId)).toHaveLength(2);
    },
    BURST_TIMEOUT_MS,
  );

  it(
    'acknowledges 100 concurrent reports relayed by game servers over sockets',
    async () => {
      const servers = await Promise.all(Array.from({ length: 5 }, () => sut.newGameServer(realm)));
      const connections = await Promise.all(
        servers.map((server) =>
          connectSocket(sut.url, '/game', { auth: { apiKey: server.apiKey } }),
        ),
      );
      sockets.push(...connections);
      const offender = `offender-${Date.now()}`;

      const acks: AckBody[] = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          emitAck(
            connections[i % connections.length],
            'report.create',
            {
              reporterPlayerId: `witness-${i}`,
              reportedPlayerId: offender,
              category: 'harassment',
              description: 'Insults in say chat',
              occurredAt: new Date().toISOString(),
            },
            30_000,
          ),
        ),
      );

      expect(acks.filter((ack) => !ack.ok)).toEqual([]);
      const cases = await sut
        .http()
        .get('/tickets?kind=moderation')
        .set('authorization', agent.auth)
        .expect(200);
      const items = (cases.body as { items: { reportCount: number; subject: string }[] }).items;
      expect(items.find((item) => item.reportCount === 100)).toBeDefined();
    },
    BURST_TIMEOUT_MS,
  );
});

describe('when no database connection becomes free in time', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let held: PoolClient[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start(
      { databasePool: { size: 2, acquireTimeoutMs: 300 } },
      { gateway: true },
    );
    realm = await sut.newRealm();
  });

  afterAll(() => sut.close());

  /** Checks out every connection of the app's pool, as a burst of slow requests would. */
  const exhaustPool = async (): Promise<void> => {
    const pool = (
      sut.get(DataSource).driver as unknown as { master: { connect(): Promise<PoolClient> } }
    ).master;
    held = await Promise.all([pool.connect(), pool.connect()]);
  };
  const releasePool = (): void => {
    held.splice(0).forEach((client) => client.release());
  };

  it('answers REST with 503 unavailable and Retry-After, not a 500, and serves again once free', async () => {
    const player = await sut.newPlayer(realm);
    await exhaustPool();
    let busy: Response;
    let ready: Response;
    try {
      busy = await sut
        .http()
        .post('/tickets')
        .set('authorization', player.auth)
        .send({ category: 'stuck', subject: 'Busy', body: 'Help' });
      ready = await sut.http().get('/health/ready');
    } finally {
      releasePool();
    }
    const after = await sut
      .http()
      .post('/tickets')
      .set('authorization', player.auth)
      .send({ category: 'stuck', subject: 'Free', body: 'Help' });

    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.body).toMatchObject({ error: { code: 'unavailable' } });
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ error: { code: 'unavailable' } });
    expect(after.status).toBe(201);
  });

  it('acks a socket event with unavailable and retryAfterMs', async () => {
    const player = await sut.newPlayer(realm);
    const socket = await connectSocket(sut.url, '/player', { auth: { token: player.token } });
    await exhaustPool();
    let ack: AckBody;
    try {
      ack = await emitAck(socket, 'ticket.create', {
        category: 'stuck',
        subject: 'Busy',
        body: 'x',
      });
    } finally {
      releasePool();
      socket.close();
    }

    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'unavailable', details: { retryAfterMs: 1000 } },
    });
  });
});

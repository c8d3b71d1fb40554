import { connectSocket, emitAck, type AckBody } from '@gmdesk/testing';
import type { Socket } from 'socket.io-client';
import type { Response } from 'supertest';
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
    const tickets: { player: TestPlayer; ticketId: string }[] = [];
    for (let i = 0; i < count; i += 1) {
      const player = owners[i % players];
      tickets.push({ player, ticketId: await openTicket(player, `Ticket ${i}`) });
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

  it('answers 100 concurrent staff replies on one ticket with 201, and keeps every reply', async () => {
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
  });

  it('answers 100 concurrent status changes on one ticket with 200 or 409, never 5xx', async () => {
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
  });

  it('answers 200 concurrent player messages over 200 tickets with 201', async () => {
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
  });

  it('acknowledges 200 concurrent player messages over sockets, on 200 tickets of 20 players', async () => {
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
  });

  it('acknowledges 100 concurrent reports relayed by game servers over sockets', async () => {
    const servers = await Promise.all(Array.from({ length: 5 }, () => sut.newGameServer(realm)));
    const connections = await Promise.all(
      servers.map((server) => connectSocket(sut.url, '/game', { auth: { apiKey: server.apiKey } })),
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
  });
});

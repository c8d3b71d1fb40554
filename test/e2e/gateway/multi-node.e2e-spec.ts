import type { TicketReplyEvent } from '@gmdesk/contracts';
import { PlayerClient, StaffClient } from '@gmdesk/sdk';
import { describeWithRedis, TEST_REDIS_URL } from '@gmdesk/testing';
import { randomBytes } from 'node:crypto';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../../support/api-context';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process';
import { memoryStore } from '../../support/position-store';

/** Everything a player's handlers saw, and a way to wait for a given reply. */
function recordReplies(
  client: PlayerClient,
  into: string[],
  waiters: Map<string, () => void>,
): { lastSeq: number } {
  const handled = { lastSeq: 0 };
  client.on('ticket.reply', (event: TicketReplyEvent, meta) => {
    into.push(event.body);
    handled.lastSeq = meta.seq;
    waiters.get(event.body)?.();
  });
  return handled;
}

function replyArrived(waiters: Map<string, () => void>, body: string): Promise<void> {
  return new Promise((resolve) => waiters.set(body, resolve));
}

/**
 * Gateways as separate processes beside an api: durable delivery across a crash (PostgreSQL is
 * the source of truth, so no Redis is needed for it), and room sharing through Redis.
 */
describe('several gateway processes', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  const processes: GatewayProcess[] = [];
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) {
      client.close();
    }
    await Promise.all(
      processes
        .splice(0)
        .map((gateway) => (gateway.child.exitCode === null ? gateway.stop() : Promise.resolve())),
    );
  });

  afterAll(() => sut.close());

  const gateway = async (env: Record<string, string> = {}): Promise<GatewayProcess> => {
    const started = await startGatewayProcess({ DATABASE_URL: sut.testApp.database.url, ...env });
    processes.push(started);
    return started;
  };

  const openTicket = async (player: TestPlayer): Promise<string> => {
    const response = await sut
      .http()
      .post('/tickets')
      .set('authorization', player.auth)
      .send({ category: 'lost_item', subject: 'My mount vanished', body: 'It was there yesterday' })
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

  it('loses nothing when a gateway is SIGKILLed mid-stream: the player resumes on another one, each reply once, in order', async () => {
    const [first, second] = await Promise.all([gateway(), gateway()]);
    const player = await sut.newPlayer(realm);
    const ticketId = await openTicket(player);
    const store = memoryStore();
    const received: string[] = [];
    const waiters = new Map<string, () => void>();
    const total = 40;
    const bodies = Array.from({ length: total }, (_unused, i) => `reply ${i}`);

    const onFirst = new PlayerClient({ baseUrl: first.url, token: player.token, store });
    clients.push(onFirst);
    const handledByFirst = recordReplies(onFirst, received, waiters);
    await onFirst.connect({ timeoutMs: 15_000 });

    const sixthArrived = replyArrived(waiters, 'reply 5');
    const lastArrived = replyArrived(waiters, bodies[total - 1] ?? '');
    // The api keeps committing replies while the gateway dies.
    const committing = (async () => {
      for (const body of bodies) {
        await reply(ticketId, body);
      }
    })();
    await sixthArrived;
    await first.kill();
    // The app finished what it had received (its position is saved) before it moves on.
    await store.savedThrough(handledByFirst.lastSeq);
    onFirst.close();

    const onSecond = new PlayerClient({ baseUrl: second.url, token: player.token, store });
    clients.push(onSecond);
    recordReplies(onSecond, received, waiters);
    await onSecond.connect({ timeoutMs: 15_000 });
    await committing;
    await lastArrived;
    expect(received).toEqual(bodies);
  });

  describeWithRedis('sharing rooms through Redis', () => {
    it('delivers a reply committed by the api to a player on another node exactly once, and shares presence and typing', async () => {
      const env = {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `gmdesk-test-${randomBytes(4).toString('hex')}:`,
      };
      const [nodeA, nodeB] = await Promise.all([gateway(env), gateway(env)]);
      const player = await sut.newPlayer(realm);
      const ticketId = await openTicket(player);

      const onB = new PlayerClient({ baseUrl: nodeB.url, token: player.token });
      clients.push(onB);
      const received: string[] = [];
      const waiters = new Map<string, () => void>();
      recordReplies(onB, received, waiters);
      await onB.connect({ timeoutMs: 15_000 });

      const firstReply = replyArrived(waiters, 'from the api');
      await reply(ticketId, 'from the api');
      await firstReply;
      // A later reply proves nothing else was on its way: delivery is in seq order.
      const secondReply = replyArrived(waiters, 'and another');
      await reply(ticketId, 'and another');
      await secondReply;
      expect(received).toEqual(['from the api', 'and another']);

      const staffA = new StaffClient({ baseUrl: nodeA.url, token: agent.token });
      const moderator = await sut.newStaff('moderator');
      const staffB = new StaffClient({ baseUrl: nodeB.url, token: moderator.token });
      clients.push(staffA, staffB);
      await Promise.all([
        staffA.connect({ timeoutMs: 15_000 }),
        staffB.connect({ timeoutMs: 15_000 }),
      ]);
      expect(await staffA.watchTicket(ticketId)).toMatchObject({ ok: true });
      const bothSeen = staffA.waitFor('presence', {
        match: (event) => event.viewers.length === 2,
        timeoutMs: 10_000,
      });
      expect(await staffB.watchTicket(ticketId)).toMatchObject({
        ok: true,
        presence: { viewers: expect.any(Array) },
      });
      expect((await bothSeen).viewers.map((viewer) => viewer.staffId).sort()).toEqual(
        [agent.id, moderator.id].sort(),
      );

      const typing = onB.waitFor('staff.typing', { timeoutMs: 10_000 });
      expect(await staffA.typing(ticketId)).toMatchObject({ ok: true });
      expect(await typing).toEqual({ ticketId });
    });
  });
});

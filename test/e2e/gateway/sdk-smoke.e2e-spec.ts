import type { TicketCreatePayload } from '@gmdesk/contracts';
import {
  GmdeskConnectError,
  GmdeskRequestError,
  PlayerClient,
  type DeliveryMeta,
  type PositionStore,
} from '@gmdesk/sdk';
import { ApiTestContext, type TestRealm, type TestStaff } from '../../support/api-context';
import { memoryStore } from '../../support/position-store';

const TICKET: TicketCreatePayload = {
  category: 'stuck',
  subject: 'Stuck in a wall',
  body: 'I fell through the floor near the inn.',
};

describe('the SDK against the gateway (smoke)', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  const clients: PlayerClient[] = [];

  const playerClient = async (options: { store?: PositionStore; token?: string } = {}) => {
    const token = options.token ?? (await sut.newPlayer(realm)).token;
    const client = new PlayerClient({ baseUrl: sut.url, token, store: options.store });
    clients.push(client);
    return client;
  };

  const reply = async (ticketId: string, body: string): Promise<void> => {
    await sut
      .http()
      .post(`/tickets/${ticketId}/messages`)
      .set('Authorization', agent.auth)
      .send({ body })
      .expect(201);
  };

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
  });

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.close();
    }
  });

  afterAll(() => sut.close());

  it('connects a player and opens a ticket', async () => {
    const client = await playerClient();

    await client.connect();
    const ack = await client.openTicket(TICKET);

    expect(ack).toMatchObject({ ok: true, ticket: { status: 'new', subject: TICKET.subject } });
  });

  it('returns a refused payload as { ok: false } with validation_failed, without throwing', async () => {
    const client = await playerClient();
    await client.connect();

    const ack = await client.openTicket({ ...TICKET, category: 'teleport' } as never);

    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('rejects connect() for a bad token with unauthenticated and stops there', async () => {
    const client = await playerClient({ token: 'not-a-jwt' });

    const refusal = await client.connect().catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(GmdeskConnectError);
    expect(refusal).toMatchObject({ code: 'unauthenticated', retry: false });
    expect(client.closeReason).toMatchObject({ code: 'unauthenticated', retry: false });
    // Stopped, not reconnecting in the background: requests fail at once.
    await expect(client.openTicket(TICKET)).rejects.toBeInstanceOf(GmdeskRequestError);
  });

  it('delivers a live reply, then after a reconnect only the replies missed meanwhile, in order', async () => {
    const player = await sut.newPlayer(realm);
    const store = memoryStore();
    const first = await playerClient({ token: player.token, store });
    await first.connect();
    const opened = await first.openTicket(TICKET);
    if (!opened.ok) {
      throw new Error(`ticket.create failed: ${opened.error.code}`);
    }
    const ticketId = opened.ticket.id;

    const live = first.waitFor('ticket.reply', { match: (data) => data.ticketId === ticketId });
    await reply(ticketId, 'Live answer.');
    expect((await live).body).toBe('Live answer.');
    first.close();

    await reply(ticketId, 'Missed one.');
    await reply(ticketId, 'Missed two.');
    const second = await playerClient({ token: player.token, store });
    const replies: string[] = [];
    const seqs: number[] = [];
    const record = (_data: unknown, meta: DeliveryMeta) => {
      seqs.push(meta.seq);
    };
    second.on('ticket.reply', (data, meta) => {
      replies.push(data.body);
      record(data, meta);
    });
    // A first staff reply also moves the ticket to `open`, which the player stream carries too.
    second.on('ticket.status', record);

    const outcome = await second.connect();

    expect(outcome).toMatchObject({ resync: false });
    expect(replies).toEqual(['Missed one.', 'Missed two.']);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(store.position).toEqual({ epoch: outcome.epoch, lastSeq: outcome.lastSeq });
  });
});

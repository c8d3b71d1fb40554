import { MAX_MESSAGE_BYTES } from '@gmdesk/gateway';
import { PLATFORM_ROLES } from '@gmdesk/platform';
import {
  connectSocket,
  describeWithRedis,
  emitAck,
  redisAnswersSync,
  TEST_REDIS_URL,
  withTimeout,
} from '@gmdesk/testing';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { Manager } from 'socket.io-client';
import { ApiTestContext } from '../../support/api-context';

interface EngineHandshake {
  readonly upgrades: string[];
  readonly pingInterval: number;
  readonly pingTimeout: number;
  readonly maxPayload: number;
}

/**
 * `npm start` composes PLATFORM_ROLES; so does this test, through the same composeApp. Its
 * socket.io must be the gateway's (websocket only, the gateway's message size and ping, the Redis
 * adapter), not socket.io's defaults: the platform once mounted the gateway module without them.
 */
describe('the platform composition (npm start) serves socket.io with the gateway settings', () => {
  const redisPrefix = `test:${randomBytes(4).toString('hex')}:`;
  let sut: ApiTestContext;

  beforeAll(async () => {
    sut = await ApiTestContext.start(
      { redisUrl: redisAnswersSync() ? TEST_REDIS_URL : undefined, redisPrefix },
      { roles: PLATFORM_ROLES },
    );
  });

  afterAll(() => sut?.close());

  it('refuses a long-polling handshake and does not serve the client bundle', async () => {
    const polling = await sut.http().get('/socket.io/').query({ EIO: '4', transport: 'polling' });
    expect(polling.status).toBe(400);
    expect(polling.body).toEqual({ code: 0, message: 'Transport unknown' });
    const bundle = await sut.http().get('/socket.io/socket.io.js');
    expect(bundle.status).toBe(400);
    expect(bundle.headers['content-type']).not.toMatch(/javascript/);
  });

  it("announces the gateway's ping settings and message size in the websocket handshake", async () => {
    const manager = new Manager(sut.url, {
      transports: ['websocket'],
      reconnection: false,
      autoConnect: false,
    });
    try {
      const handshake = withTimeout(
        new Promise<EngineHandshake>((resolve) =>
          manager.open().engine.once('handshake', (data) => resolve(data as EngineHandshake)),
        ),
        5000,
        'the engine.io handshake',
      );
      expect(await handshake).toMatchObject({
        upgrades: [],
        pingInterval: 20_000,
        pingTimeout: 20_000,
        maxPayload: MAX_MESSAGE_BYTES,
      });
    } finally {
      manager.engine?.close();
    }
  });

  describeWithRedis('with REDIS_URL set', () => {
    it('shares its rooms through the Redis streams adapter', async () => {
      const realm = await sut.newRealm();
      const player = await sut.newPlayer(realm);
      const ticket = await sut
        .http()
        .post('/tickets')
        .set('authorization', player.auth)
        .send({ category: 'lost_item', subject: 'Lost mount', body: 'It vanished' })
        .expect(201);
      const staff = await connectSocket(sut.url, '/staff', {
        auth: { token: (await sut.newStaff('agent')).token },
      });
      const redis = createClient({ url: TEST_REDIS_URL });
      await redis.connect();
      try {
        // Watching a ticket broadcasts presence to its viewers' room: through the adapter's stream.
        expect(
          await emitAck(staff, 'ticket.watch', { ticketId: (ticket.body as { id: string }).id }),
        ).toMatchObject({ ok: true });
        const stream = `${redisPrefix}socket.io`;
        const entries = await redis.xRead({ key: stream, id: '0' }, { BLOCK: 5000 });
        expect(entries).not.toBeNull();
        // Pub/sub (presence requests, ephemeral broadcasts) is namespaced by the prefix as well.
        const channels = await redis.pubSubChannels(`${redisPrefix}socket.io#/staff#*`);
        expect(channels.length).toBeGreaterThan(0);
      } finally {
        staff.close();
        await redis.del(`${redisPrefix}socket.io`);
        await redis.quit();
      }
    });
  });
});

import {
  connectSocket,
  emitAck,
  expectConnectError,
  waitForEvent,
  withTimeout,
  type AckBody,
} from '@gmdesk/testing';
import { Manager, type Socket } from 'socket.io-client';
import { ApiTestContext, signPlayerToken, type TestRealm } from '../../support/api-context';

/** The encoded size of an ack, as the client receives it. */
const sizeOf = (ack: AckBody): number => Buffer.byteLength(JSON.stringify(ack));

/** `count` one-digit integers: 150,000 of them encode to about 293 KB. */
const integers = (count: number): number[] => Array.from({ length: count }, (_, i) => i % 10);

const ticket = (fields: Record<string, unknown> = {}) => ({
  category: 'stuck',
  subject: 'Stuck in a wall',
  body: 'Near the bank',
  ...fields,
});

const report = (fields: Record<string, unknown> = {}) => ({
  reportedPlayerId: 'someone-else',
  category: 'cheating',
  description: 'Speed hack in the arena',
  occurredAt: new Date().toISOString(),
  ...fields,
});

/** A bare engine.io connection that never joins a namespace (it never authenticates). */
async function openBareConnection(url: string): Promise<Manager> {
  const manager = new Manager(url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
  });
  await withTimeout(
    new Promise<void>((resolve, reject) =>
      manager.open((error) => (error ? reject(error) : resolve())),
    ),
    5000,
    'a bare connection to open',
  );
  return manager;
}

describe('hostile input over sockets', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  const open: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({ socketConnectionsPerPrincipal: 2 }, { gateway: true });
    realm = await sut.newRealm();
  });

  afterEach(() => {
    for (const socket of open.splice(0)) {
      socket.close();
    }
  });

  afterAll(() => sut.close());

  const connect = async (namespace: string, auth: Record<string, unknown>): Promise<Socket> => {
    const socket = await connectSocket(sut.url, namespace, { auth });
    open.push(socket);
    return socket;
  };

  const newPlayerSocket = async (): Promise<Socket> =>
    connect('/player', { token: (await sut.newPlayer(realm)).token });

  describe('payload size and shape', () => {
    it('answers a ticket.create of 150,000 integers with a small error, before validating any', async () => {
      const socket = await newPlayerSocket();

      const ack = await emitAck(socket, 'ticket.create', integers(150_000));

      expect(ack).toMatchObject({
        ok: false,
        error: {
          code: 'validation_failed',
          details: [{ field: '', problem: 'must be a JSON object, not an array' }],
        },
      });
      expect(sizeOf(ack)).toBeLessThan(1_000);
      expect(socket.connected).toBe(true);
    });

    it('answers a ticket.create over 64 KiB with a small payload_too_large', async () => {
      const socket = await newPlayerSocket();

      const ack = await emitAck(socket, 'ticket.create', ticket({ tags: integers(150_000) }));

      expect(ack).toMatchObject({
        ok: false,
        error: { code: 'payload_too_large', details: { limitBytes: 64 * 1024 } },
      });
      expect(sizeOf(ack)).toBeLessThan(1_000);
    });

    it('answers a report.create whose location is 150,000 integers with a small payload_too_large', async () => {
      const socket = await newPlayerSocket();

      const ack = await emitAck(socket, 'report.create', report({ location: integers(150_000) }));

      expect(ack.error?.code).toBe('payload_too_large');
      expect(sizeOf(ack)).toBeLessThan(1_000);
    });

    it('answers a 1.76 MB event (under the 2 MB message limit) with a small payload_too_large', async () => {
      const server = await sut.newGameServer(realm);
      const socket = await connect('/game', { apiKey: server.apiKey });
      const payload = { ...report({ reporterPlayerId: 'p1' }), location: integers(880_000) };
      expect(Buffer.byteLength(JSON.stringify(payload))).toBeGreaterThan(1_750_000);

      const ack = await emitAck(socket, 'report.create', payload, 15_000);

      expect(ack.error?.code).toBe('payload_too_large');
      expect(sizeOf(ack)).toBeLessThan(1_000);
    });

    it('caps the problems of a bad payload within the budget at 20, saying the list was cut', async () => {
      const socket = await newPlayerSocket();
      const unknown = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`field${i}`, i]));

      const ack = await emitAck(socket, 'ticket.create', ticket(unknown));

      const details = ack.error?.details as Array<{ field: string; truncated?: true }>;
      expect(ack.error?.code).toBe('validation_failed');
      expect(details).toHaveLength(21);
      expect(details.at(-1)).toMatchObject({ truncated: true });
      expect(sizeOf(ack)).toBeLessThan(5_000);
    });

    it('answers a location sent as an array within the budget with a bounded error', async () => {
      const socket = await newPlayerSocket();

      const ack = await emitAck(socket, 'report.create', report({ location: integers(20_000) }));

      expect(ack.error?.code).toBe('validation_failed');
      expect((ack.error?.details as unknown[]).length).toBeLessThanOrEqual(21);
      expect(sizeOf(ack)).toBeLessThan(5_000);
    });

    it('refuses a top-level array, even of valid tickets, as not an object', async () => {
      const socket = await newPlayerSocket();

      const ack = await emitAck(socket, 'ticket.create', [ticket()]);

      expect(ack).toMatchObject({
        ok: false,
        error: {
          code: 'validation_failed',
          details: [{ field: '', problem: 'must be a JSON object, not an array' }],
        },
      });
    });

    it('refuses binary attachments with validation_failed, answering HTTP meanwhile, and the connection goes on', async () => {
      const socket = await newPlayerSocket();
      const binary = {
        code: 'validation_failed',
        details: [{ field: '', problem: expect.stringMatching(/binary attachments/) as unknown }],
      };

      const [big, many, health] = await Promise.all([
        emitAck(socket, 'ticket.create', ticket({ subject: Buffer.alloc(1_900_000) }), 15_000),
        // socket.io's most attachments per event: ten Buffers anywhere in the payload.
        emitAck(
          socket,
          'ticket.create',
          ticket({ body: Array.from({ length: 10 }, () => Buffer.alloc(1_000_000)) }),
          15_000,
        ),
        sut.http().get('/health/live'),
      ]);
      const unacked = waitForEvent<AckBody>(socket, 'exception');
      socket.emit('ticket.message', { ticketId: Buffer.from('not json') });

      expect(big).toMatchObject({ ok: false, error: binary });
      expect(many).toMatchObject({ ok: false, error: binary });
      expect(health.status).toBe(200);
      expect(await unacked).toMatchObject({ ok: false, error: binary });
      // The dropped frames left the stream in step: the next event is read as usual.
      expect(await emitAck(socket, 'ticket.create', ticket())).toMatchObject({ ok: true });
      expect(socket.connected).toBe(true);
    });

    it('refuses prototype keys in a payload like unknown fields', async () => {
      const socket = await newPlayerSocket();

      const ack = await emitAck(
        socket,
        'ticket.create',
        JSON.parse('{"category":"stuck","subject":"s","body":"b","__proto__":{"x":1}}'),
      );

      expect(ack.error).toMatchObject({
        code: 'validation_failed',
        details: [{ field: '__proto__' }],
      });
    });
  });

  describe('text', () => {
    it.each([
      ['ticket.create', ticket({ subject: 'Stuck \ud800 here' }), 'subject'],
      ['ticket.create', ticket({ body: 'a\udc00b' }), 'body'],
      ['report.create', report({ description: 'cheater \ud83d' }), 'description'],
      ['report.create', report({ location: { zone: '\udfff' } }), 'location.zone'],
    ])(
      'refuses a lone surrogate in %s (%#) with validation_failed',
      async (event, payload, field) => {
        const socket = await newPlayerSocket();

        const ack = await emitAck(socket, event, payload);

        expect(ack).toMatchObject({
          ok: false,
          error: {
            code: 'validation_failed',
            details: [{ field, problem: 'must be valid Unicode text (no unpaired surrogates)' }],
          },
        });
      },
    );

    it('accepts a player whose token name holds NUL and control characters, and stores it cleaned', async () => {
      const token = await signPlayerToken(realm.secret, realm.id, 'nul-name-player', {
        name: 'Ali\u0000ce\u001b[31m\u202e',
      });
      const socket = await connect('/player', { token });

      const ack = await emitAck(socket, 'ticket.create', ticket());

      expect(ack).toMatchObject({ ok: true });
      const view = await sut
        .http()
        .get(`/tickets/${(ack.ticket as { id: string }).id}`)
        .set('Authorization', (await sut.newStaff('agent')).auth)
        .expect(200);
      expect(JSON.stringify(view.body)).toContain('"Alice[31m"');
    });

    it('refuses a player token whose realm claim holds NUL as unauthenticated, not internal', async () => {
      const token = await signPlayerToken(realm.secret, `${realm.id}\u0000`, 'nul-realm-player');

      const error = await expectConnectError(sut.url, '/player', { auth: { token } });

      expect(error.data).toMatchObject({ code: 'unauthenticated', retry: false });
    });
  });

  describe('caps', () => {
    it('refuses a principal’s connection beyond the cap with too_many_connections and retry, and admits it again once one closes', async () => {
      const player = await sut.newPlayer(realm);
      const first = await connect('/player', { token: player.token });
      await connect('/player', { token: player.token });

      const refused = await expectConnectError(sut.url, '/player', {
        auth: { token: player.token },
      });

      expect(refused.data).toMatchObject({ code: 'too_many_connections', retry: true });
      // Another player is not affected.
      await newPlayerSocket();
      // The disconnect packet travels on an open connection; the next handshake needs a new one,
      // an upgrade and a token check, so the server has freed the slot before it counts again.
      first.disconnect();
      await connect('/player', { token: player.token });
    });

    it('refuses the main namespace, which needs no credential', async () => {
      const error = await expectConnectError(sut.url, '/');

      expect(error.data?.code).toBe('unknown_namespace');
    });

    it('lets a staff member unwatch only tickets they may see, like watch', async () => {
      const other = await sut.newRealm();
      const player = await connect('/player', { token: (await sut.newPlayer(other)).token });
      const created = await emitAck(player, 'ticket.create', ticket());
      const ticketId = (created.ticket as { id: string }).id;
      const agent = await sut.newStaff('agent', { realms: [realm.id] });
      const staff = await connect('/staff', { token: agent.token });

      const watch = await emitAck(staff, 'ticket.watch', { ticketId });
      const unwatch = await emitAck(staff, 'ticket.unwatch', { ticketId });

      expect(watch.error?.code).toBe('ticket_not_found');
      expect(unwatch).toMatchObject({ ok: false, error: { code: 'ticket_not_found' } });
    });
  });
});

describe('socket limits over time', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  const open: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start(
      { socketEventsPerSecond: 1, authFailureLimit: 3 },
      { gateway: true },
    );
    realm = await sut.newRealm();
  });

  afterEach(() => {
    for (const socket of open.splice(0)) {
      socket.close();
    }
  });

  afterAll(() => sut.close());

  const connect = async (token: string): Promise<Socket> => {
    const socket = await connectSocket(sut.url, '/player', { auth: { token } });
    open.push(socket);
    return socket;
  };

  /** A staff token whose session ended: refused with token_revoked. */
  const loggedOutStaffToken = async (): Promise<string> => {
    const staff = await sut.newStaff('agent');
    await sut.http().post('/auth/logout').set('Authorization', staff.auth).send({}).expect(200);
    return staff.token;
  };

  it('limits the event rate per player across all of its connections', async () => {
    const player = await sut.newPlayer(realm);
    const sockets = [await connect(player.token), await connect(player.token)];

    // Bursts of 2 events per player at 1 a second: 6 at once cannot all pass, although each
    // connection alone stays within a per-connection burst.
    const acks = await Promise.all(
      sockets.flatMap((socket) => [1, 2, 3].map(() => emitAck(socket, 'ticket.message', {}))),
    );

    const limited = acks.filter((ack) => ack.error?.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].error?.details).toMatchObject({ retryAfterMs: expect.any(Number) });
  });

  it('does not count expired tokens as failed authentications', async () => {
    const expired = await sut.newPlayer(realm, { expiresInSeconds: -60 });
    for (let i = 0; i < 4; i += 1) {
      expect(
        (await expectConnectError(sut.url, '/player', { auth: { token: expired.token } })).data
          ?.code,
      ).toBe('token_expired');
    }

    await connect((await sut.newPlayer(realm)).token);
  });

  it.each([
    ['a token that was logged out (token_revoked)', 'token_revoked', '127.0.0.21'],
    [
      'a player token signed for too long (token_lifetime_too_long)',
      'token_lifetime_too_long',
      '127.0.0.22',
    ],
  ])('counts %s as a failed authentication, as REST does', async (_what, code, localAddress) => {
    const token =
      code === 'token_revoked'
        ? await loggedOutStaffToken()
        : await signPlayerToken(realm.secret, realm.id, 'p-long', {
            expiresInSeconds: 400 * 24 * 3600,
          });
    const namespace = code === 'token_revoked' ? '/staff' : '/player';
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await expectConnectError(sut.url, namespace, { auth: { token }, localAddress })).data
          ?.code,
      ).toBe(code);
    }

    const refused = await expectConnectError(sut.url, '/player', {
      auth: { token: (await sut.newPlayer(realm)).token },
      localAddress,
    });

    expect(refused.data).toMatchObject({ code: 'rate_limited', retry: true });
    // Other addresses are not affected.
    await connect((await sut.newPlayer(realm)).token);
  });

  // Last: it blocks this file's only client address for the rest of the window.
  it('refuses every handshake from an address after repeated failed ones, valid ones included', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await expectConnectError(sut.url, '/player', { auth: { token: 'not-a-token' } })).data
          ?.code,
      ).toBe('unauthenticated');
    }

    const refused = await expectConnectError(sut.url, '/player', {
      auth: { token: (await sut.newPlayer(realm)).token },
    });

    expect(refused.data).toMatchObject({
      code: 'rate_limited',
      retry: true,
      retryAfterMs: expect.any(Number),
    });
  });
});

// Alone with its app: a handshake timeout this short would also close slow legitimate
// handshakes of other tests on a busy machine.
describe('the handshake timeout', () => {
  let sut: ApiTestContext;

  beforeAll(async () => {
    sut = await ApiTestContext.start({ socketHandshakeTimeoutMs: 300 }, { gateway: true });
  });

  afterAll(() => sut.close());

  it('closes a connection that joins no namespace within the handshake timeout', async () => {
    const bare = await openBareConnection(sut.url);
    try {
      await withTimeout(
        new Promise<void>((resolve) =>
          bare.engine.readyState === 'closed'
            ? resolve()
            : bare.engine.once('close', () => resolve()),
        ),
        5000,
        'the server to close the idle connection',
      );
    } finally {
      bare.engine.close();
    }
  });
});

// Alone with its app: it counts the connections still on their way, and a refused handshake of
// another test stays one until the server sees its client close.
describe('pending handshakes', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;

  beforeAll(async () => {
    sut = await ApiTestContext.start({ socketMaxPendingHandshakes: 3 }, { gateway: true });
    realm = await sut.newRealm();
  });

  afterAll(() => sut.close());

  it('refuses new connections while too many have not finished their handshake, and admits them once one has', async () => {
    const bare = await Promise.all([1, 2, 3].map(() => openBareConnection(sut.url)));
    try {
      const player = await sut.newPlayer(realm);
      const refused = await expectConnectError(sut.url, '/player', {
        auth: { token: player.token },
      });
      expect(refused.message).toMatch(/websocket error/i);

      // One of them authenticates: the server counts it as joined before it acknowledges.
      const joined = bare[0].socket('/player', { auth: { token: player.token } }).connect();
      await withTimeout(
        new Promise<void>((resolve) => joined.once('connect', () => resolve())),
        5000,
        'a pending connection to join /player',
      );
      const admitted = await connectSocket(sut.url, '/player', {
        auth: { token: (await sut.newPlayer(realm)).token },
      });
      // Both are fully registered (resume waits for it) before the app shuts down.
      expect(await emitAck(admitted, 'resume', { lastSeq: 0 })).toMatchObject({ ok: true });
      expect(await emitAck(joined, 'resume', { lastSeq: 0 })).toMatchObject({ ok: true });
      admitted.close();
    } finally {
      bare.forEach((manager) => manager.engine.close());
    }
  });
});

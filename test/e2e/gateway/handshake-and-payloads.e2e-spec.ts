import { RealmsService, type StaffPrincipal } from '@gmdesk/core';
import {
  connectSocket,
  emitAck,
  expectConnectError,
  waitForDisconnect,
  waitForEvent,
} from '@gmdesk/testing';
import type { Socket } from 'socket.io-client';
import {
  ApiTestContext,
  signPlayerToken,
  type TestGameServer,
  type TestRealm,
} from '../../support/api-context';

const ALLOWED_ORIGIN = 'https://console.example';

describe('gateway handshake and payload validation', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let server: TestGameServer;
  const open: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({ corsOrigins: [ALLOWED_ORIGIN] }, { gateway: true });
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
  });

  afterEach(() => {
    for (const socket of open.splice(0)) {
      socket.close();
    }
  });

  afterAll(() => sut.close());

  const connect = async (
    namespace: string,
    auth: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => {
    const socket = await connectSocket(sut.url, namespace, { auth, extraHeaders: headers });
    open.push(socket);
    return socket;
  };

  describe('handshake', () => {
    it('refuses a missing credential on every namespace with unauthenticated', async () => {
      for (const namespace of ['/game', '/player', '/staff']) {
        const error = await expectConnectError(sut.url, namespace);
        expect(error.data).toMatchObject({ code: 'unauthenticated', retry: false });
      }
    });

    it('refuses a malformed game-server key and a revoked one with their reasons', async () => {
      expect(
        (await expectConnectError(sut.url, '/game', { auth: { apiKey: 'gmd_nope' } })).data?.code,
      ).toBe('unauthenticated');
      const revoked = await sut.newGameServer(realm);
      const admin: StaffPrincipal = {
        kind: 'staff',
        staffId: (await sut.newStaff('admin')).id,
        role: 'admin',
        realms: [],
      };
      await sut.get(RealmsService).revokeGameServer(admin, revoked.id);
      expect(
        (await expectConnectError(sut.url, '/game', { auth: { apiKey: revoked.apiKey } })).data
          ?.code,
      ).toBe('key_revoked');
    });

    it('refuses an expired player token with token_expired', async () => {
      const player = await sut.newPlayer(realm, { expiresInSeconds: -60 });
      const error = await expectConnectError(sut.url, '/player', { auth: { token: player.token } });
      expect(error.data).toMatchObject({ code: 'token_expired', retry: false });
    });

    it('refuses a player token signed with another realm’s secret', async () => {
      const other = await sut.newRealm();
      const forged = await signPlayerToken(other.secret, realm.id, 'mallory');
      expect(
        (await expectConnectError(sut.url, '/player', { auth: { token: forged } })).data?.code,
      ).toBe('unauthenticated');
    });

    it('refuses credentials on the wrong namespace: a player on /staff, staff on /player', async () => {
      const player = await sut.newPlayer(realm);
      const agent = await sut.newStaff('agent');
      expect(
        (await expectConnectError(sut.url, '/staff', { auth: { token: player.token } })).data?.code,
      ).toBe('forbidden');
      expect(
        (await expectConnectError(sut.url, '/player', { auth: { token: agent.token } })).data?.code,
      ).toBe('forbidden');
    });

    it('refuses a browser handshake from an origin outside the allow-list and accepts an allowed one', async () => {
      const player = await sut.newPlayer(realm);
      const refused = await expectConnectError(sut.url, '/player', {
        auth: { token: player.token },
        extraHeaders: { origin: 'https://evil.example' },
      });
      expect(refused.data?.code).toBe('origin_forbidden');
      const socket = await connect('/player', { token: player.token }, { origin: ALLOWED_ORIGIN });
      expect(socket.connected).toBe(true);
    });

    it('lets a page served by the gateway’s own host connect without listing it (the console)', async () => {
      const player = await sut.newPlayer(realm);
      const own = new URL(sut.url);

      const socket = await connect('/player', { token: player.token }, { origin: own.origin });
      const lookalike = await expectConnectError(sut.url, '/player', {
        auth: { token: player.token },
        extraHeaders: { origin: `http://${own.hostname}.evil.example:${own.port}` },
      });

      expect(socket.connected).toBe(true);
      expect(lookalike.data?.code).toBe('origin_forbidden');
    });
  });

  describe('payloads', () => {
    it('answers bad payloads of every player event with validation_failed and stays usable', async () => {
      const player = await sut.newPlayer(realm);
      const socket = await connect('/player', { token: player.token });
      const bad: [string, unknown][] = [
        ['resume', { lastSeq: 'seven' }],
        ['resume', { lastSeq: 1, sneaky: true }],
        [
          'report.create',
          {
            reportedPlayerId: 'x',
            category: 'cheating',
            description: 'd'.repeat(2001),
            occurredAt: new Date().toISOString(),
          },
        ],
        ['report.create', 'not an object'],
        ['ticket.create', { category: 'stuck', subject: 'help' }],
        ['ticket.create', { category: 'stuck', subject: 's', body: 'b'.repeat(5001) }],
        ['ticket.message', { ticketId: 'not-a-uuid', body: 'hi' }],
      ];
      for (const [event, payload] of bad) {
        const ack = await emitAck(socket, event, payload);
        expect({ event, ack }).toMatchObject({
          event,
          ack: { ok: false, error: { code: 'validation_failed' } },
        });
        expect(Array.isArray(ack.error?.details)).toBe(true);
      }
      expect(socket.connected).toBe(true);
      const ok = await socket
        .timeout(5000)
        .emitWithAck('ticket.create', { category: 'stuck', subject: 'Stuck', body: 'In a wall' });
      expect(ok).toMatchObject({ ok: true, ticket: { status: 'new' } });
    });

    it('reports field paths of nested payload errors', async () => {
      const player = await sut.newPlayer(realm);
      const socket = await connect('/player', { token: player.token });
      const ack = await emitAck(socket, 'report.create', {
        reportedPlayerId: 'someone',
        category: 'cheating',
        description: 'speed hack',
        occurredAt: new Date().toISOString(),
        location: { zone: '', x: 'far' },
      });
      const fields = (ack.error?.details as { field: string }[]).map((detail) => detail.field);
      expect(fields).toEqual(expect.arrayContaining(['location.zone', 'location.x']));
    });

    it('answers bad payloads on /game and /staff the same way', async () => {
      const game = await connect('/game', { apiKey: server.apiKey });
      const agent = await sut.newStaff('agent');
      const staff = await connect('/staff', { token: agent.token });
      for (const [socket, event, payload] of [
        [game, 'player.session', { playerId: 'p1', state: 'dancing' }],
        [
          game,
          'report.create',
          {
            reportedPlayerId: 'p2',
            category: 'spam',
            description: 'x',
            occurredAt: new Date().toISOString(),
          },
        ],
        [staff, 'ticket.watch', { ticketId: 42 }],
        [staff, 'queue.watch', { kind: 'everything' }],
        [staff, 'typing', {}],
      ] as const) {
        const ack = await emitAck(socket, event, payload);
        expect({ event, ack }).toMatchObject({
          event,
          ack: { ok: false, error: { code: 'validation_failed' } },
        });
      }
      expect(
        await emitAck(game, 'player.session', { playerId: 'p1', state: 'login' }),
      ).toMatchObject({
        ok: true,
      });
    });

    it('answers an unknown event with unknown_event', async () => {
      const player = await sut.newPlayer(realm);
      const socket = await connect('/player', { token: player.token });
      const ack = await emitAck(socket, 'ban.everyone', {});
      expect(ack).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    });

    it('sends an exception event when a bad payload comes without an ack callback, and keeps the connection', async () => {
      const player = await sut.newPlayer(realm);
      const socket = await connect('/player', { token: player.token });
      const exception = waitForEvent<{ ok: boolean; error: { code: string } }>(socket, 'exception');
      socket.emit('ticket.create', { category: 'nope' });
      expect(await exception).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(await emitAck(socket, 'resume', { lastSeq: 0 })).toMatchObject({
        ok: true,
      });
    });

    it('rate limits a flood of events with rate_limited and retryAfterMs', async () => {
      const player = await sut.newPlayer(realm);
      const socket = await connect('/player', { token: player.token });
      const acks = await Promise.all(
        Array.from({ length: 80 }, () => emitAck(socket, 'ticket.message', {})),
      );
      const limited = acks.filter((ack) => ack.error?.code === 'rate_limited');
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]).toMatchObject({
        error: { code: 'rate_limited', details: { retryAfterMs: expect.any(Number) } },
      });
      expect(socket.connected).toBe(true);
    });
  });

  describe('live sessions', () => {
    it('ends a player session when its token expires, saying so', async () => {
      const player = await sut.newPlayer(realm, { expiresInSeconds: 2 });
      const socket = await connect('/player', { token: player.token });
      const closing = waitForEvent<{ code: string; retry: boolean }>(socket, 'session.closing', {
        timeoutMs: 6000,
      });
      expect(await closing).toEqual({
        code: 'token_expired',
        message: expect.any(String),
        retry: false,
      });
      await waitForDisconnect(socket);
    });
  });
});

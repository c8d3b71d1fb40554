import type { SanctionEvent } from '@gmdesk/contracts';
import { SanctionsService } from '@gmdesk/core';
import { GameServerClient, type PositionStore } from '@gmdesk/sdk';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestGameServer,
  type TestRealm,
  type TestStaff,
} from '../../support/api-context';
import { memoryStore, type TestPositionStore } from '../../support/position-store';

describe('sanctions delivered to game servers, with acknowledgements', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let moderator: TestStaff;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    moderator = await sut.newStaff('moderator');
  });

  // A realm per test: a server's first connection receives every sanction in force in its realm,
  // so sanctions of earlier tests would reach the servers of later ones.
  beforeEach(async () => {
    realm = await sut.newRealm();
  });

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.close();
    }
  });

  afterAll(() => sut.close());

  const gameClient = async (
    server: TestGameServer,
    store?: PositionStore,
  ): Promise<GameServerClient> => {
    const client = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(client);
    await client.connect({ timeoutMs: 10_000 });
    return client;
  };

  const knownPlayer = async (server: TestGameServer): Promise<string> => {
    const accountId = `cheater-${Math.random().toString(36).slice(2, 10)}`;
    await sut
      .http()
      .put(`/realms/${server.realmId}/players/${accountId}`)
      .set('authorization', server.auth)
      .send({})
      .expect(200);
    return accountId;
  };

  const issue = async (
    playerId: string,
    type = 'ban',
    options: { realmId?: string; durationMinutes?: number | null } = {},
  ) => {
    const durationMinutes = options.durationMinutes === undefined ? 60 : options.durationMinutes;
    const response = await sut
      .http()
      .post('/sanctions')
      .set('authorization', moderator.auth)
      .send({
        realmId: options.realmId ?? realm.id,
        playerId,
        type,
        publicReason: 'Speed hacking',
        ...(durationMinutes !== null && { durationMinutes }),
      })
      .expect(201);
    return response.body as { id: string; playerId: string; expiresAt: string };
  };

  const revoke = (sanctionId: string) =>
    sut
      .http()
      .post(`/sanctions/${sanctionId}/revoke`)
      .set('authorization', moderator.auth)
      .send({ reason: 'Appeal upheld' })
      .expect(200);

  /** Moves a sanction's whole span into the past (its duration is over), as a clock would. */
  const expire = (sanctionId: string) =>
    sut.get(DataSource).query(
      `UPDATE sanctions SET starts_at = now() - interval '2 hours',
                              expires_at = now() - interval '1 hour' WHERE id = $1`,
      [sanctionId],
    );

  /**
   * Waits until the server has processed everything its stream held before this call. A warn to
   * a fresh player is appended to the stream of every server of the realm after all that (a
   * resume's redeliveries commit before its ack, which `connect()` awaits), and the SDK processes
   * events in seq order: once the warn arrives, anything sent before it has arrived too.
   */
  const barrier = async (client: GameServerClient, server: TestGameServer): Promise<string> => {
    const playerId = await knownPlayer(server);
    const arrived = client.waitFor('sanction.issued', {
      match: (event) => event.playerId === playerId,
    });
    const marker = await issue(playerId, 'warn', {
      realmId: server.realmId,
      durationMinutes: null,
    });
    await arrived;
    // Acknowledged, so that it is not sent again after the client's next reconnect.
    expect(await client.ackSanction(marker.id, 'issued')).toMatchObject({ ok: true });
    return marker.id;
  };

  /** Every sanction event a client processes, as `action:sanctionId[:redelivery]`, in order. */
  const record = (client: GameServerClient): string[] => {
    const seen: string[] = [];
    for (const action of ['issued', 'revoked'] as const) {
      client.on(`sanction.${action}`, (event) => {
        seen.push(`${action}:${event.sanctionId}${event.redelivery ? ':redelivery' : ''}`);
      });
    }
    return seen;
  };

  /** Issues a sanction; a client of `server` processes it, then crashes before acknowledging. */
  const receiveThenCrash = async (
    server: TestGameServer,
    store: TestPositionStore,
    type: string,
  ): Promise<string> => {
    const first = await gameClient(server, store);
    const playerId = await knownPlayer(server);
    const seen = new Promise<number>((resolve) =>
      first.on('sanction.issued', (event, meta) => {
        if (event.playerId === playerId) {
          resolve(meta.seq);
        }
      }),
    );
    const sanction = await issue(playerId, type, { realmId: server.realmId });
    await store.savedThrough(await seen);
    first.close();
    return sanction.id;
  };

  const unacknowledged = async (sanctionId: string): Promise<number> => {
    const rows: { n: string }[] = await sut
      .get(DataSource)
      .query(
        `SELECT count(*) AS n FROM sanction_acks WHERE sanction_id = $1 AND acked_at IS NULL`,
        [sanctionId],
      );
    return Number(rows[0]?.n);
  };

  it('sends a sanction to every connected server of the realm and records each acknowledgement', async () => {
    const [serverA, serverB] = [await sut.newGameServer(realm), await sut.newGameServer(realm)];
    const [a, b] = [await gameClient(serverA), await gameClient(serverB)];
    const playerId = await knownPlayer(serverA);
    const seenByA = a.waitFor('sanction.issued', { match: (event) => event.playerId === playerId });
    const seenByB = b.waitFor('sanction.issued', { match: (event) => event.playerId === playerId });
    const sanction = await issue(playerId);
    for (const event of [await seenByA, await seenByB]) {
      expect(event).toMatchObject({
        sanctionId: sanction.id,
        type: 'ban',
        publicReason: 'Speed hacking',
        redelivery: false,
      });
    }
    expect(await unacknowledged(sanction.id)).toBe(2);
    expect(await a.ackSanction(sanction.id, 'issued')).toEqual({ ok: true, acknowledged: true });
    expect(await a.ackSanction(sanction.id, 'issued')).toEqual({ ok: true, acknowledged: true });
    expect(await unacknowledged(sanction.id)).toBe(1);
    expect(await b.ackSanction(sanction.id, 'issued')).toMatchObject({ ok: true });
    expect(await unacknowledged(sanction.id)).toBe(0);
    const detail = await sut
      .http()
      .get(`/sanctions/${sanction.id}`)
      .set('authorization', moderator.auth)
      .expect(200);
    expect(detail.body).toMatchObject({
      enforcement: [serverA, serverB].map((server) => ({
        serverId: server.id,
        action: 'issued',
        status: 'acked',
        sentAt: expect.any(String),
        ackedAt: expect.any(String),
      })),
    });
  });

  it('delivers a sanction issued while the server was down when it reconnects', async () => {
    const server = await sut.newGameServer(realm);
    const store = memoryStore();
    (await gameClient(server, store)).close();
    const playerId = await knownPlayer(server);
    const sanction = await issue(playerId, 'mute');

    const received: SanctionEvent[] = [];
    const later = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(later);
    later.on('sanction.issued', (event) => void received.push(event));
    await later.connect({ timeoutMs: 10_000 });
    expect(received).toEqual([
      expect.objectContaining({ sanctionId: sanction.id, type: 'mute', redelivery: false }),
    ]);
  });

  it('sends an unacknowledged sanction again after a reconnect, until it is acknowledged', async () => {
    const server = await sut.newGameServer(realm);
    const store = memoryStore();
    const first = await gameClient(server, store);
    const playerId = await knownPlayer(server);
    const seen = new Promise<number>((resolve) =>
      first.on('sanction.issued', (event, meta) => {
        if (event.playerId === playerId) {
          resolve(meta.seq);
        }
      }),
    );
    const sanction = await issue(playerId);
    // Received and processed (position saved), then it crashed before enforcing: no ack.
    await store.savedThrough(await seen);
    first.close();

    const second = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(second);
    const again = second.waitFor('sanction.issued', {
      match: (event) => event.sanctionId === sanction.id,
    });
    await second.connect({ timeoutMs: 10_000 });
    expect(await again).toMatchObject({ sanctionId: sanction.id, redelivery: true });
    expect(await second.ackSanction(sanction.id, 'issued')).toMatchObject({ ok: true });
    second.close();

    // Acknowledged: a further reconnect brings nothing back. Checked after a barrier, not right
    // after connect(): a redelivery arrives after the resume ack, so an assertion there would
    // pass whether or not one was on its way.
    const third = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(third);
    const processed = record(third);
    await third.connect({ timeoutMs: 10_000 });
    const marker = await barrier(third, server);
    expect(processed).toEqual([`issued:${marker}`]);
  });

  it('never sends a ban revoked while a server had not acknowledged it as issued again', async () => {
    const server = await sut.newGameServer(realm);
    const store = memoryStore();
    const sanctionId = await receiveThenCrash(server, store, 'ban');
    await revoke(sanctionId);

    const again = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(again);
    const seen = record(again);
    await again.connect({ timeoutMs: 10_000 });
    const marker = await barrier(again, server);
    // Before: ["revoked:…", "issued:…:redelivery"]: the server ended up enforcing a lifted ban.
    expect(seen).toEqual([`revoked:${sanctionId}`, `issued:${marker}`]);

    const detail = await sut
      .http()
      .get(`/sanctions/${sanctionId}`)
      .set('authorization', moderator.auth)
      .expect(200);
    expect(
      (detail.body as { enforcement: { serverId: string }[] }).enforcement.filter(
        (entry) => entry.serverId === server.id,
      ),
    ).toEqual([
      expect.objectContaining({ action: 'issued', status: 'superseded', supersededBy: 'revoked' }),
      expect.objectContaining({ action: 'revoked', status: 'pending', ackedAt: null }),
    ]);
  });

  it('sends an unacknowledged revocation again, alone, when neither event was acknowledged', async () => {
    const server = await sut.newGameServer(realm);
    const store = memoryStore();
    const first = await gameClient(server, store);
    const playerId = await knownPlayer(server);
    const lifted = new Promise<number>((resolve) =>
      first.on('sanction.revoked', (event, meta) => {
        if (event.playerId === playerId) {
          resolve(meta.seq);
        }
      }),
    );
    const sanction = await issue(playerId);
    await revoke(sanction.id);
    await store.savedThrough(await lifted);
    first.close();

    const again = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(again);
    const seen = record(again);
    await again.connect({ timeoutMs: 10_000 });
    const marker = await barrier(again, server);
    expect(seen).toEqual([`revoked:${sanction.id}:redelivery`, `issued:${marker}`]);
  });

  it('does not send an unacknowledged sanction again as active once it has expired', async () => {
    const server = await sut.newGameServer(realm);
    const store = memoryStore();
    const sanctionId = await receiveThenCrash(server, store, 'mute');
    await expire(sanctionId);

    const again = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(again);
    const seen = record(again);
    await again.connect({ timeoutMs: 10_000 });
    const marker = await barrier(again, server);
    expect(seen).toEqual([`issued:${marker}`]);
    const detail = await sut
      .http()
      .get(`/sanctions/${sanctionId}`)
      .set('authorization', moderator.auth)
      .expect(200);
    expect(detail.body).toMatchObject({ active: false });
    expect(
      (detail.body as { enforcement: { serverId: string }[] }).enforcement.filter(
        (entry) => entry.serverId === server.id,
      ),
    ).toEqual([expect.objectContaining({ status: 'superseded', supersededBy: 'expired' })]);
  });

  it('keeps a revoked sanction lifted on a server however revocations and resumes interleave', async () => {
    const server = await sut.newGameServer(realm);
    const store = memoryStore();
    // Every sanction event the game server processes, over all its connections, in order.
    const received: { action: 'issued' | 'revoked'; sanctionId: string }[] = [];
    /** A connection that records, has processed everything sent before it returns, acks nothing. */
    const connection = async (): Promise<GameServerClient> => {
      const client = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
      clients.push(client);
      for (const action of ['issued', 'revoked'] as const) {
        client.on(`sanction.${action}`, (event) => {
          received.push({ action, sanctionId: event.sanctionId });
        });
      }
      await client.connect({ timeoutMs: 10_000 });
      await barrier(client, server);
      return client;
    };
    const first = await connection();
    const playerId = await knownPlayer(server);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      ids.push((await issue(playerId, 'mute')).id);
    }
    await barrier(first, server);
    const receivedThrough = store.position?.lastSeq ?? 0;
    first.close();

    const principal = { kind: 'game_server', serverId: server.id, realmId: realm.id } as const;
    const resumes = sut.get(SanctionsService);
    await Promise.all([
      ...ids.map((id) => revoke(id)),
      ...ids.map(() => resumes.resumeDelivery(principal, receivedThrough)),
    ]);
    // Two reconnects of a server that acknowledges nothing: the first replays what it missed, the
    // second (having received it all) is sent every unacknowledged event again, in the original
    // order. An `issued` among them after its `revoked` would re-impose the lifted mute, even
    // with the `revoked` sent again after it.
    (await connection()).close();
    (await connection()).close();

    const events: { event: string; sanction_id: string }[] = await sut.get(DataSource).query(
      `SELECT event, payload->>'sanctionId' AS sanction_id FROM delivery_events
        WHERE stream = $1 AND payload->>'sanctionId' = ANY($2) ORDER BY seq`,
      [`server:${server.id}`, ids],
    );
    /** The actions of one sanction from its first `revoked` on: only revocations may follow. */
    const afterRevocation = (actions: string[]): string[] =>
      actions.slice(actions.indexOf('revoked') + 1);
    for (const id of ids) {
      const sent = events
        .filter((e) => e.sanction_id === id)
        .map((e) => e.event.replace('sanction.', ''));
      const processed = received.filter((e) => e.sanctionId === id).map((e) => e.action);
      for (const sequence of [sent, processed]) {
        expect(sequence).toContain('issued');
        expect(sequence).toContain('revoked');
        expect(afterRevocation(sequence)).not.toContain('issued');
      }
    }
  });

  it('lets a game server acknowledge only sanctions sent to it: another realm’s is not found', async () => {
    const server = await sut.newGameServer(realm);
    await gameClient(server);
    const sanction = await issue(await knownPlayer(server));
    const otherRealm = await sut.newRealm();
    const foreign = await gameClient(await sut.newGameServer(otherRealm));
    expect(await foreign.ackSanction(sanction.id, 'issued')).toMatchObject({
      ok: false,
      error: { code: 'sanction_not_found' },
    });
    expect(await foreign.ackSanction(sanction.id, 'bogus' as 'issued')).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
  });

  it('announces a revocation the same way, and refuses to revoke twice', async () => {
    const server = await sut.newGameServer(realm);
    const client = await gameClient(server);
    const sanction = await issue(await knownPlayer(server));
    const lifted = client.waitFor('sanction.revoked', {
      match: (event) => event.sanctionId === sanction.id,
    });
    await revoke(sanction.id);
    expect(await lifted).toMatchObject({ sanctionId: sanction.id, type: 'ban' });
    expect(await client.ackSanction(sanction.id, 'revoked')).toMatchObject({ ok: true });
    await sut
      .http()
      .post(`/sanctions/${sanction.id}/revoke`)
      .set('authorization', moderator.auth)
      .send({ reason: 'Again' })
      .expect(409)
      .expect(({ body }) =>
        expect(body).toMatchObject({ error: { code: 'sanction_already_revoked' } }),
      );
  });

  it('lets only moderators issue sanctions, and audits them', async () => {
    const server = await sut.newGameServer(realm);
    const playerId = await knownPlayer(server);
    const agent = await sut.newStaff('agent');
    await sut
      .http()
      .post('/sanctions')
      .set('authorization', agent.auth)
      .send({ realmId: realm.id, playerId, type: 'warn', publicReason: 'Language' })
      .expect(403);
    const sanction = await issue(playerId, 'warn');
    const admin = await sut.newStaff('admin');
    const audit = await sut
      .http()
      .get(`/audit?targetType=sanction&targetId=${sanction.id}`)
      .set('authorization', admin.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'sanction.issue', actorId: moderator.id }),
    ]);
  });

  describe('a game server registered after sanctions were issued', () => {
    let home: TestRealm;
    let registrar: TestGameServer;
    /** The realm's sanctions in force, oldest first. */
    let inForce: string[];
    let all: string[];

    beforeAll(async () => {
      home = await sut.newRealm();
      registrar = await sut.newGameServer(home);
      const inRealm = async (type: string, durationMinutes: number | null) =>
        (await issue(await knownPlayer(registrar), type, { realmId: home.id, durationMinutes })).id;
      const ban = await inRealm('ban', null);
      const mute = await inRealm('mute', 60);
      const lifted = await inRealm('ban', null);
      await revoke(lifted);
      const warned = await inRealm('warn', null);
      const kicked = await inRealm('kick', null);
      const expired = await inRealm('suspend', 60);
      await expire(expired);
      inForce = [ban, mute];
      all = [ban, mute, lifted, warned, kicked, expired];
    });

    const newcomer = (server: TestGameServer, store = memoryStore()): GameServerClient => {
      const client = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
      clients.push(client);
      return client;
    };

    it('gets the sanctions in force on its first connection, once (not lifted, expired or one-off ones)', async () => {
      const server = await sut.newGameServer(home);
      const store = memoryStore();
      const first = newcomer(server, store);
      const seen = record(first);
      await first.connect({ timeoutMs: 10_000 });
      const marker = await barrier(first, server);
      // Before: [marker] only — a server registered later never learnt of older bans.
      expect(seen).toEqual([...inForce.map((id) => `issued:${id}`), `issued:${marker}`]);
      for (const id of inForce) {
        expect(await first.ackSanction(id, 'issued')).toMatchObject({ ok: true });
      }
      first.close();

      const second = newcomer(server, store);
      const again = record(second);
      await second.connect({ timeoutMs: 10_000 });
      const secondMarker = await barrier(second, server);
      expect(again).toEqual([`issued:${secondMarker}`]);
    });

    it('sends them once per server when the same key connects twice at once', async () => {
      const server = await sut.newGameServer(home);
      const [a, b] = [newcomer(server), newcomer(server)];
      const [seenByA, seenByB] = [record(a), record(b)];
      await Promise.all([a.connect({ timeoutMs: 10_000 }), b.connect({ timeoutMs: 10_000 })]);
      const reachesB = b.waitFor('sanction.issued', {
        match: (event) => !all.includes(event.sanctionId),
      });
      const marker = await barrier(a, server);
      await reachesB;
      for (const seen of [seenByA, seenByB]) {
        expect(seen).toEqual([...inForce.map((id) => `issued:${id}`), `issued:${marker}`]);
      }
    });

    it('claims the first-connection bootstrap exactly once under concurrent resumes', async () => {
      const server = await sut.newGameServer(home);
      const principal = { kind: 'game_server', serverId: server.id, realmId: home.id } as const;
      const service = sut.get(SanctionsService);
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, () => service.resumeDelivery(principal, 0)),
      );
      expect(outcomes.map((outcome) => outcome.bootstrapped).sort()).toEqual([0, 0, 0, 0, 0, 2]);
      const stored: { n: string }[] = await sut
        .get(DataSource)
        .query(
          `SELECT count(*) AS n FROM delivery_events WHERE stream = $1 AND event = 'sanction.issued'`,
          [`server:${server.id}`],
        );
      expect(Number(stored[0]?.n)).toBe(2);
    });

    it('gives a server that already received them no second copy on its first connection', async () => {
      const client = newcomer(registrar);
      const seen = record(client);
      await client.connect({ timeoutMs: 10_000 });
      await barrier(client, registrar);
      const [ban, mute, lifted, warned, kicked, expired] = all;
      // The replay of its stream, as it happened: no bootstrap copies after it.
      expect(seen.filter((entry) => all.includes(entry.split(':')[1] ?? ''))).toEqual([
        `issued:${ban}`,
        `issued:${mute}`,
        `issued:${lifted}`,
        `revoked:${lifted}`,
        `issued:${warned}`,
        `issued:${kicked}`,
        `issued:${expired}`,
      ]);
    });

    it('lists the sanctions in force over REST, page by page, for the SDK to bootstrap from', async () => {
      const server = await sut.newGameServer(home);
      const client = newcomer(server);
      const first = await client.activeSanctions(home.id, { limit: 1 });
      expect(first).toMatchObject({
        ok: true,
        items: [{ sanctionId: inForce[0], type: 'ban', expiresAt: null }],
      });
      const cursor = first.ok ? (first.nextCursor ?? undefined) : undefined;
      expect(cursor).toEqual(expect.any(String));
      expect(await client.activeSanctions(home.id, { cursor, limit: 1 })).toEqual({
        ok: true,
        items: [expect.objectContaining({ sanctionId: inForce[1], type: 'mute' })],
        nextCursor: null,
      });
      expect(await client.activeSanctions(realm.id)).toMatchObject({
        ok: false,
        error: { code: 'realm_not_found' },
      });
    });
  });
});

import type { SanctionEvent } from '@gmdesk/contracts';
import { GameServerClient, type PositionStore } from '@gmdesk/sdk';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestGameServer,
  type TestRealm,
  type TestStaff,
} from '../../support/api-context';
import { memoryStore } from '../../support/position-store';

describe('sanctions delivered to game servers, with acknowledgements', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let moderator: TestStaff;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    moderator = await sut.newStaff('moderator');
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
      .put(`/realms/${realm.id}/players/${accountId}`)
      .set('authorization', server.auth)
      .send({})
      .expect(200);
    return accountId;
  };

  const issue = async (playerId: string, type = 'ban') => {
    const response = await sut
      .http()
      .post('/sanctions')
      .set('authorization', moderator.auth)
      .send({
        realmId: realm.id,
        playerId,
        type,
        publicReason: 'Speed hacking',
        durationMinutes: 60,
      })
      .expect(201);
    return response.body as { id: string; playerId: string; expiresAt: string };
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

    // Acknowledged: a further reconnect brings nothing back.
    const third = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey, store });
    clients.push(third);
    const redelivered: string[] = [];
    third.on('sanction.issued', (event) => void redelivered.push(event.sanctionId));
    await third.connect({ timeoutMs: 10_000 });
    expect(redelivered).toEqual([]);
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
    await sut
      .http()
      .post(`/sanctions/${sanction.id}/revoke`)
      .set('authorization', moderator.auth)
      .expect(200);
    expect(await lifted).toMatchObject({ sanctionId: sanction.id, type: 'ban' });
    expect(await client.ackSanction(sanction.id, 'revoked')).toMatchObject({ ok: true });
    await sut
      .http()
      .post(`/sanctions/${sanction.id}/revoke`)
      .set('authorization', moderator.auth)
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
});

import type { SanctionEnforcementEvent } from '@gmdesk/contracts';
import { GameServerClient, StaffClient } from '@gmdesk/sdk';
import { randomBytes } from 'node:crypto';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

/**
 * What the console's sanction dialog, player page and names need from the api: the staff event
 * when a game server enforces a sanction, sanctions by case, player search, a player's own
 * tickets and filed reports, and the staff directory.
 */
describe('console lookups: enforcement events, player search, player history, staff names', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let otherRealm: TestRealm;
  let moderator: TestStaff;
  let agent: TestStaff;
  let agentB: TestStaff;
  const clients: { close(): void }[] = [];
  const suffix = randomBytes(3).toString('hex');

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    [realm, otherRealm] = await Promise.all([sut.newRealm(), sut.newRealm()]);
    [moderator, agent, agentB] = await Promise.all([
      sut.newStaff('moderator'),
      sut.newStaff('agent'),
      sut.newStaff('agent', { realms: [otherRealm.id] }),
    ]);
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) {
      client.close();
    }
    await sut.close();
  });

  const gameClient = async (server: TestGameServer): Promise<GameServerClient> => {
    const client = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey });
    clients.push(client);
    await client.connect({ timeoutMs: 10_000 });
    return client;
  };

  const staffClient = async (staff: TestStaff): Promise<StaffClient> => {
    const client = new StaffClient({ baseUrl: sut.url, token: staff.token });
    clients.push(client);
    await client.connect({ timeoutMs: 10_000 });
    return client;
  };

  const knownPlayer = async (
    server: TestGameServer,
    accountId: string,
    displayName?: string,
  ): Promise<void> => {
    await sut
      .http()
      .put(`/realms/${server.realmId}/players/${encodeURIComponent(accountId)}`)
      .set('authorization', server.auth)
      .send(displayName === undefined ? {} : { displayName })
      .expect(200);
  };

  const issue = async (
    realmId: string,
    playerId: string,
    extra: { ticketId?: string } = {},
  ): Promise<string> => {
    const response = await sut
      .http()
      .post('/sanctions')
      .set('authorization', moderator.auth)
      .send({
        realmId,
        playerId,
        type: 'mute',
        publicReason: 'Spamming',
        durationMinutes: 60,
        ...extra,
      })
      .expect(201);
    return (response.body as { id: string }).id;
  };

  const fileReport = async (reporter: TestPlayer, reportedPlayerId: string) => {
    const response = await sut
      .http()
      .post('/reports')
      .set('authorization', reporter.auth)
      .send({
        reportedPlayerId,
        category: 'harassment',
        description: 'Insults in whisper',
        occurredAt: new Date().toISOString(),
      })
      .expect(201);
    return response.body as { id: string };
  };

  const openTicket = async (requester: TestPlayer, subject: string): Promise<string> => {
    const response = await sut
      .http()
      .post('/tickets')
      .set('authorization', requester.auth)
      .send({ category: 'stuck', subject, body: 'Please help' })
      .expect(201);
    return (response.body as { id: string }).id;
  };

  describe('sanction.enforcement', () => {
    it('tells staff of the realm, once per server, when each game server acknowledges a sanction', async () => {
      const [serverA1, serverA2, serverB] = await Promise.all([
        sut.newGameServer(realm),
        sut.newGameServer(realm),
        sut.newGameServer(otherRealm),
      ]);
      const [a1, a2, b] = await Promise.all([
        gameClient(serverA1),
        gameClient(serverA2),
        gameClient(serverB),
      ]);
      const staff = await staffClient(agent);
      const outsider = await staffClient(agentB);
      const seen: SanctionEnforcementEvent[] = [];
      const seenByOutsider: SanctionEnforcementEvent[] = [];
      staff.on('sanction.enforcement', (event) => void seen.push(event));
      outsider.on('sanction.enforcement', (event) => void seenByOutsider.push(event));

      const offender = `spammer-${suffix}`;
      await knownPlayer(serverA1, offender);
      const received = [a1, a2].map((client) =>
        client.waitFor('sanction.issued', { match: (event) => event.playerId === offender }),
      );
      const sanctionId = await issue(realm.id, offender);
      await Promise.all(received);

      const first = staff.waitFor('sanction.enforcement', {
        match: (event) => event.sanctionId === sanctionId && event.serverId === serverA1.id,
      });
      expect(await a1.ackSanction(sanctionId, 'issued')).toMatchObject({ ok: true });
      expect(await first).toEqual({
        sanctionId,
        realmId: realm.id,
        playerId: offender,
        serverId: serverA1.id,
        action: 'issued',
        state: 'acked',
        at: expect.any(String) as string,
      });
      const detail = await sut
        .http()
        .get(`/sanctions/${sanctionId}`)
        .set('authorization', agent.auth)
        .expect(200);
      const statusOf = (serverId: string): unknown =>
        (detail.body as { enforcement: { serverId: string; status: string }[] }).enforcement.find(
          (entry) => entry.serverId === serverId,
        )?.status;
      expect([statusOf(serverA1.id), statusOf(serverA2.id)]).toEqual(['acked', 'pending']);

      // A repeated acknowledgement changes nothing and announces nothing: the staff stream is
      // ordered, so once the second server's event arrives, a second one for A1 would have too.
      expect(await a1.ackSanction(sanctionId, 'issued')).toMatchObject({ ok: true });
      const second = staff.waitFor('sanction.enforcement', {
        match: (event) => event.serverId === serverA2.id,
      });
      expect(await a2.ackSanction(sanctionId, 'issued')).toMatchObject({ ok: true });
      await second;
      expect(seen.map((event) => event.serverId)).toEqual([serverA1.id, serverA2.id]);

      // Staff of another realm never hear of it: their own realm's event comes after it.
      const offenderB = `other-${suffix}`;
      await knownPlayer(serverB, offenderB);
      const arrivedB = b.waitFor('sanction.issued', {
        match: (event) => event.playerId === offenderB,
      });
      const sanctionB = await issue(otherRealm.id, offenderB);
      await arrivedB;
      const outsiderSaw = outsider.waitFor('sanction.enforcement', {
        match: (event) => event.sanctionId === sanctionB,
      });
      await b.ackSanction(sanctionB, 'issued');
      await outsiderSaw;
      expect(seenByOutsider.map((event) => event.sanctionId)).toEqual([sanctionB]);
    });

    it('announces the acknowledgement of a lifted sanction as action revoked', async () => {
      const server = await sut.newGameServer(realm);
      const client = await gameClient(server);
      const staff = await staffClient(agent);
      const offender = `lifted-${suffix}`;
      await knownPlayer(server, offender);
      const issued = client.waitFor('sanction.issued', {
        match: (event) => event.playerId === offender,
      });
      const sanctionId = await issue(realm.id, offender);
      await issued;
      const revoked = client.waitFor('sanction.revoked', {
        match: (event) => event.sanctionId === sanctionId,
      });
      await sut
        .http()
        .post(`/sanctions/${sanctionId}/revoke`)
        .set('authorization', moderator.auth)
        .send({ reason: 'Wrong player' })
        .expect(200);
      await revoked;
      const event = staff.waitFor('sanction.enforcement', {
        match: (e) => e.sanctionId === sanctionId,
      });

      expect(await client.ackSanction(sanctionId, 'revoked')).toMatchObject({ ok: true });
      expect(await event).toMatchObject({ action: 'revoked', state: 'acked', serverId: server.id });
    });
  });

  describe('GET /sanctions?ticketId', () => {
    it('lists the sanctions issued from one case, and nothing from another', async () => {
      const server = await sut.newGameServer(realm);
      const offender = `casebound-${suffix}`;
      await knownPlayer(server, offender);
      const report = await fileReport(await sut.newPlayer(realm), offender);
      // Players are not told which case their report joined; staff are.
      const { ticketId } = (
        await sut.http().get(`/reports/${report.id}`).set('authorization', agent.auth).expect(200)
      ).body as { ticketId: string };
      expect(ticketId).toEqual(expect.any(String));
      const fromCase = await issue(realm.id, offender, { ticketId });
      await issue(realm.id, offender);

      const listed = await sut
        .http()
        .get('/sanctions')
        .query({ ticketId })
        .set('authorization', agent.auth)
        .expect(200);
      const outside = await sut
        .http()
        .get('/sanctions')
        .query({ ticketId })
        .set('authorization', agentB.auth)
        .expect(200);
      const invalid = await sut
        .http()
        .get('/sanctions')
        .query({ ticketId: 'not-a-uuid' })
        .set('authorization', agent.auth);

      expect((listed.body as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([
        fromCase,
      ]);
      expect((outside.body as { items: unknown[] }).items).toEqual([]);
      expect(invalid.status).toBe(400);
    });
  });

  describe('GET /players', () => {
    let server: TestGameServer;
    const prefix = `zed${suffix}`;

    beforeAll(async () => {
      server = await sut.newGameServer(realm);
      const serverB = await sut.newGameServer(otherRealm);
      await knownPlayer(server, `${prefix}-001`, 'Grimbold');
      await knownPlayer(server, `${prefix}-002`, 'grimhilde the Bold');
      await knownPlayer(server, `${prefix}-003`, `Percent 100%${suffix}`);
      await knownPlayer(server, `x-${suffix}`, `Zedd ${suffix}`);
      await knownPlayer(serverB, `${prefix}-900`, 'Grimbold of B');
    });

    const search = (staff: TestStaff, query: Record<string, string | number>) =>
      sut.http().get('/players').query(query).set('authorization', staff.auth);

    const ids = (body: unknown): string[] =>
      (body as { items: { realmId: string; accountId: string }[] }).items.map(
        (p) => `${p.realmId}/${p.accountId}`,
      );

    it('finds players by account id prefix across the realms the staff member works in', async () => {
      const response = await search(agent, { q: prefix }).expect(200);

      expect(ids(response.body)).toEqual(
        [
          `${realm.id}/${prefix}-001`,
          `${realm.id}/${prefix}-002`,
          `${realm.id}/${prefix}-003`,
          `${otherRealm.id}/${prefix}-900`,
        ].sort(),
      );
    });

    it('finds players by display name prefix in any case, within one realm when asked', async () => {
      const response = await search(agent, { q: 'GRIM', realmId: realm.id }).expect(200);

      expect(ids(response.body)).toEqual([
        `${realm.id}/${prefix}-001`,
        `${realm.id}/${prefix}-002`,
      ]);
      expect((response.body as { items: object[] }).items[0]).toMatchObject({
        displayName: 'Grimbold',
        reportCredibility: expect.any(Number) as number,
      });
    });

    it('matches LIKE wildcards literally', async () => {
      const wildcard = await search(agent, { q: '%', realmId: realm.id }).expect(200);
      const underscore = await search(agent, { q: `${prefix}_`, realmId: realm.id }).expect(200);
      const literal = await search(agent, { q: 'percent 100%', realmId: realm.id }).expect(200);

      expect(ids(wildcard.body)).toEqual([]);
      expect(ids(underscore.body)).toEqual([]);
      expect(ids(literal.body)).toEqual([`${realm.id}/${prefix}-003`]);
    });

    it('never shows a realm-restricted staff member players of other realms', async () => {
      const response = await search(agentB, { q: prefix }).expect(200);
      const named = await search(agentB, { q: prefix, realmId: realm.id }).expect(200);

      expect(ids(response.body)).toEqual([`${otherRealm.id}/${prefix}-900`]);
      expect(ids(named.body)).toEqual([]);
    });

    it('pages with a cursor, and refuses a cursor or query it did not issue with 400', async () => {
      const first = await search(agent, { q: prefix, limit: 2 }).expect(200);
      const cursor = (first.body as { nextCursor: string }).nextCursor;
      const second = await search(agent, { q: prefix, limit: 2, cursor }).expect(200);
      const forged = Buffer.from(JSON.stringify(['players', 'a\u0000', 'b'])).toString('base64url');
      const bad = await Promise.all([
        search(agent, { q: prefix, cursor: 'nonsense' }),
        search(agent, { q: prefix, cursor: forged }),
        sut.http().get('/players').set('authorization', agent.auth),
        search(agent, { q: 'x'.repeat(65) }),
      ]);

      expect([...ids(first.body), ...ids(second.body)]).toEqual(
        [
          `${realm.id}/${prefix}-001`,
          `${realm.id}/${prefix}-002`,
          `${realm.id}/${prefix}-003`,
          `${otherRealm.id}/${prefix}-900`,
        ].sort(),
      );
      expect((second.body as { nextCursor: unknown }).nextCursor).toBeNull();
      expect(
        bad.map((response) => [
          response.status,
          (response.body as { error: { code: string } }).error.code,
        ]),
      ).toEqual([
        [400, 'validation_failed'],
        [400, 'validation_failed'],
        [400, 'validation_failed'],
        [400, 'validation_failed'],
      ]);
    });
  });

  describe("a player's tickets and filed reports", () => {
    it('lists the tickets one player opened, for staff, with the realm named', async () => {
      const requester = await sut.newPlayer(realm);
      const other = await sut.newPlayer(realm);
      const mine = await openTicket(requester, 'Lost my mount');
      await openTicket(other, 'Not theirs');

      const listed = await sut
        .http()
        .get('/tickets')
        .query({ realmId: realm.id, requesterAccountId: requester.accountId, sort: 'newest' })
        .set('authorization', agent.auth)
        .expect(200);
      const unknown = await sut
        .http()
        .get('/tickets')
        .query({ realmId: realm.id, requesterAccountId: 'nobody-at-all' })
        .set('authorization', agent.auth)
        .expect(200);
      const outside = await sut
        .http()
        .get('/tickets')
        .query({ realmId: realm.id, requesterAccountId: requester.accountId })
        .set('authorization', agentB.auth)
        .expect(200);
      const noRealm = await sut
        .http()
        .get('/tickets')
        .query({ requesterAccountId: requester.accountId })
        .set('authorization', agent.auth);
      // A player asking for someone else's tickets still sees only their own.
      const asPlayer = await sut
        .http()
        .get('/tickets')
        .query({ realmId: realm.id, requesterAccountId: other.accountId })
        .set('authorization', requester.auth)
        .expect(200);

      const idsOf = (body: unknown) => (body as { items: { id: string }[] }).items.map((t) => t.id);
      expect(idsOf(listed.body)).toEqual([mine]);
      expect(idsOf(unknown.body)).toEqual([]);
      expect(idsOf(outside.body)).toEqual([]);
      expect(noRealm.status).toBe(400);
      expect(idsOf(asPlayer.body)).toEqual([mine]);
    });

    it('lists the reports one player filed, for staff, with the realm named', async () => {
      const reporter = await sut.newPlayer(realm);
      const other = await sut.newPlayer(realm);
      const filed = await fileReport(reporter, `target-${suffix}`);
      await fileReport(other, `target-${suffix}`);

      const listed = await sut
        .http()
        .get('/reports')
        .query({ realmId: realm.id, reporterAccountId: reporter.accountId })
        .set('authorization', agent.auth)
        .expect(200);
      const outside = await sut
        .http()
        .get('/reports')
        .query({ realmId: realm.id, reporterAccountId: reporter.accountId })
        .set('authorization', agentB.auth)
        .expect(200);
      const noRealm = await sut
        .http()
        .get('/reports')
        .query({ reporterAccountId: reporter.accountId })
        .set('authorization', agent.auth);
      const asPlayer = await sut
        .http()
        .get('/reports')
        .query({ realmId: realm.id, reporterAccountId: reporter.accountId })
        .set('authorization', other.auth)
        .expect(200);

      const idsOf = (body: unknown) => (body as { items: { id: string }[] }).items.map((r) => r.id);
      expect(idsOf(listed.body)).toEqual([filed.id]);
      expect(idsOf(outside.body)).toEqual([]);
      expect(noRealm.status).toBe(400);
      expect(idsOf(asPlayer.body)).not.toContain(filed.id);
    });
  });

  describe('GET /staff/directory', () => {
    it('names the colleagues who share a realm with the caller, and nothing more', async () => {
      const onlyA = await sut.newStaff('agent', { realms: [realm.id] });
      const onlyB = await sut.newStaff('moderator', { realms: [otherRealm.id] });

      const everyone = await sut
        .http()
        .get('/staff/directory')
        .set('authorization', agent.auth)
        .expect(200);
      const fromB = await sut
        .http()
        .get('/staff/directory')
        .set('authorization', agentB.auth)
        .expect(200);

      const entries = everyone.body as { id: string; displayName: string }[];
      const idsB = (fromB.body as { id: string }[]).map((entry) => entry.id);
      expect(entries.map((entry) => entry.id)).toEqual(
        expect.arrayContaining([onlyA.id, onlyB.id, moderator.id, agentB.id]),
      );
      expect(entries.find((entry) => entry.id === onlyA.id)).toEqual({
        id: onlyA.id,
        displayName: 'Test agent',
      });
      expect(idsB).toEqual(expect.arrayContaining([onlyB.id, moderator.id, agentB.id]));
      expect(idsB).not.toContain(onlyA.id);
    });
  });
});

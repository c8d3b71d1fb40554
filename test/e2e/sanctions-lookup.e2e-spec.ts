import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestGameServer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface SanctionBody {
  readonly id: string;
  readonly realmId: string;
  readonly playerId: string;
  readonly type: string;
  readonly active: boolean;
  readonly ticketId: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly revokeReason: string | null;
  readonly enforcement?: {
    readonly serverId: string;
    readonly action: string | null;
    readonly status: string;
    readonly sentAt: string | null;
    readonly ackedAt: string | null;
  }[];
}

interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

const errorCode = (response: Response): unknown =>
  (response.body as { error?: { code?: unknown } }).error?.code;

describe('finding sanctions, and what staff may link and give when issuing or lifting them', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let otherRealm: TestRealm;
  let server: TestGameServer;
  let otherServer: TestGameServer;
  let moderator: TestStaff;
  let agent: TestStaff;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    [realm, otherRealm] = [await sut.newRealm(), await sut.newRealm()];
    [server, otherServer] = [await sut.newGameServer(realm), await sut.newGameServer(otherRealm)];
    [moderator, agent] = [await sut.newStaff('moderator'), await sut.newStaff('agent')];
  });

  afterAll(() => sut.close());

  const knownPlayer = async (where: TestGameServer = server): Promise<string> => {
    const accountId = `p-${randomUUID().slice(0, 8)}`;
    await sut
      .http()
      .put(`/realms/${where.realmId}/players/${accountId}`)
      .set('authorization', where.auth)
      .send({})
      .expect(200);
    return accountId;
  };

  const issue = (body: Record<string, unknown>, by: TestStaff = moderator) =>
    sut
      .http()
      .post('/sanctions')
      .set('authorization', by.auth)
      .send({ realmId: realm.id, type: 'ban', publicReason: 'Botting', ...body });

  const issued = async (body: Record<string, unknown>): Promise<SanctionBody> =>
    (await issue(body).expect(201)).body as SanctionBody;

  const revoke = (id: string, body: object) =>
    sut.http().post(`/sanctions/${id}/revoke`).set('authorization', moderator.auth).send(body);

  const expire = (id: string) =>
    sut.get(DataSource).query(
      `UPDATE sanctions SET starts_at = now() - interval '2 hours',
                              expires_at = now() - interval '1 hour' WHERE id = $1`,
      [id],
    );

  const list = async (query: string, as: TestStaff = agent): Promise<Page<SanctionBody>> =>
    (await sut.http().get(`/sanctions?${query}`).set('authorization', as.auth).expect(200))
      .body as Page<SanctionBody>;

  const openTicket = async (where: TestRealm): Promise<string> => {
    const player = await sut.newPlayer(where);
    const response = await sut
      .http()
      .post('/tickets')
      .set('authorization', player.auth)
      .send({ category: 'other', subject: 'About a cheater', body: 'He flies.' })
      .expect(201);
    return (response.body as { id: string }).id;
  };

  describe('issuing', () => {
    it('refuses a null duration instead of reading it as permanent', async () => {
      const playerId = await knownPlayer();

      await issue({ playerId, durationMinutes: null })
        .expect(400)
        .expect((r) => expect(errorCode(r)).toBe('validation_failed'));
      await issue({ playerId, durationMinutes: 1.5 })
        .expect(400)
        .expect((r) => expect(errorCode(r)).toBe('validation_failed'));
      const sanctions = await sut
        .http()
        .get(`/sanctions?realmId=${realm.id}&playerId=${playerId}`)
        .set('authorization', moderator.auth)
        .expect(200);
      expect((sanctions.body as { items: unknown[] }).items).toEqual([]);
    });
  });

  describe('revoking', () => {
    it('needs a reason, refuses unknown fields, and stores and audits the reason', async () => {
      const sanction = await issued({ playerId: await knownPlayer() });
      // Before: the route had no body at all, so the validation pipe never saw `reason` (or any
      // other field) and the revocation went through without one.
      await revoke(sanction.id, {})
        .expect(400)
        .expect((r) => expect(errorCode(r)).toBe('validation_failed'));
      await revoke(sanction.id, { reason: 'Appeal upheld', bogus: true })
        .expect(400)
        .expect((r) => expect(errorCode(r)).toBe('validation_failed'));

      const lifted = (await revoke(sanction.id, { reason: 'Appeal upheld' }).expect(200))
        .body as SanctionBody;
      expect(lifted).toMatchObject({
        revokeReason: 'Appeal upheld',
        revokedBy: moderator.id,
        active: false,
      });
      const stored = (
        await sut.http().get(`/sanctions/${sanction.id}`).set('authorization', agent.auth)
      ).body as SanctionBody;
      expect(stored).toMatchObject({ revokeReason: 'Appeal upheld', revokedBy: moderator.id });

      const admin = await sut.newStaff('admin');
      const audit = await sut
        .http()
        .get(`/audit?targetType=sanction&targetId=${sanction.id}`)
        .set('authorization', admin.auth)
        .expect(200);
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({
          action: 'sanction.revoke',
          actorId: moderator.id,
          after: expect.objectContaining({ reason: 'Appeal upheld' }),
        }),
      );
    });
  });

  describe('linking a ticket', () => {
    it('answers 404 ticket_not_found for an unknown ticket, where it used to fail with a 500', async () => {
      const response = await issue({ playerId: await knownPlayer(), ticketId: randomUUID() });
      expect(response.status).toBe(404);
      expect(errorCode(response)).toBe('ticket_not_found');
    });

    it('answers 422 for a ticket of another realm, which it used to accept', async () => {
      const foreignTicket = await openTicket(otherRealm);
      const response = await issue({ playerId: await knownPlayer(), ticketId: foreignTicket });
      expect(response.status).toBe(422);
      expect(errorCode(response)).toBe('sanction_ticket_other_realm');
    });

    it('answers 404 for a ticket in a realm the moderator does not work in, like an unknown one', async () => {
      const restricted = await sut.newStaff('moderator', { realms: [realm.id] });
      const hidden = await openTicket(otherRealm);
      const response = await issue({ playerId: await knownPlayer(), ticketId: hidden }, restricted);
      expect(response.status).toBe(404);
      expect(errorCode(response)).toBe('ticket_not_found');
    });

    it('links a ticket of the same realm', async () => {
      const ticketId = await openTicket(realm);
      const sanction = await issued({ playerId: await knownPlayer(), ticketId });
      expect(sanction.ticketId).toBe(ticketId);
    });
  });

  describe('GET /sanctions', () => {
    let searchRealm: TestRealm;
    let searchServer: TestGameServer;
    let target: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      searchRealm = await sut.newRealm();
      searchServer = await sut.newGameServer(searchRealm);
      target = await knownPlayer(searchServer);
      const other = await knownPlayer(searchServer);
      const inSearchRealm = async (playerId: string, type: string, durationMinutes?: number) =>
        (await issue({ realmId: searchRealm.id, playerId, type, durationMinutes }).expect(201))
          .body as SanctionBody;
      ids.ban = (await inSearchRealm(target, 'ban')).id;
      ids.warn = (await inSearchRealm(target, 'warn')).id;
      ids.mute = (await inSearchRealm(target, 'mute', 30)).id;
      ids.expired = (await inSearchRealm(target, 'suspend', 30)).id;
      await expire(ids.expired);
      ids.lifted = (await inSearchRealm(other, 'ban')).id;
      await revoke(ids.lifted, { reason: 'Wrong player' }).expect(200);
      ids.otherMute = (await inSearchRealm(other, 'mute')).id;
    });

    const idsOf = (page: Page<SanctionBody>): string[] => page.items.map((s) => s.id);

    it('lists a realm newest first, in stable pages', async () => {
      const newestFirst = [
        ids.otherMute,
        ids.lifted,
        ids.expired,
        ids.mute,
        ids.warn,
        ids.ban,
      ] as string[];
      const first = await list(`realmId=${searchRealm.id}&limit=4`);
      expect(idsOf(first)).toEqual(newestFirst.slice(0, 4));
      const second = await list(
        `realmId=${searchRealm.id}&limit=4&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      );
      expect(idsOf(second)).toEqual(newestFirst.slice(4));
      expect(second.nextCursor).toBeNull();
    });

    it('filters by player, type and whether the sanction is in force', async () => {
      expect(idsOf(await list(`realmId=${searchRealm.id}&playerId=${target}`))).toEqual([
        ids.expired,
        ids.mute,
        ids.warn,
        ids.ban,
      ]);
      expect(idsOf(await list(`realmId=${searchRealm.id}&type=mute`))).toEqual([
        ids.otherMute,
        ids.mute,
      ]);
      expect(idsOf(await list(`realmId=${searchRealm.id}&active=true`))).toEqual([
        ids.otherMute,
        ids.mute,
        ids.ban,
      ]);
      // Lifted, expired, and a warning (a one-off: nothing to enforce after it was given).
      expect(idsOf(await list(`realmId=${searchRealm.id}&active=false`))).toEqual([
        ids.lifted,
        ids.expired,
        ids.warn,
      ]);
      expect(
        idsOf(await list(`realmId=${searchRealm.id}&playerId=${target}&active=true&type=ban`)),
      ).toEqual([ids.ban]);
      expect(await list(`realmId=${searchRealm.id}&playerId=never-seen`)).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('refuses a player without a realm, a bad flag and a foreign cursor with 400', async () => {
      for (const query of [
        `playerId=${target}`,
        'active=yes',
        'type=jail',
        'cursor=not-a-cursor',
        `realmId=${searchRealm.id}&cursor=${encodeURIComponent(Buffer.from('["active","2026-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url'))}`,
      ]) {
        const response = await sut
          .http()
          .get(`/sanctions?${query}`)
          .set('authorization', agent.auth);
        expect([query, response.status, errorCode(response)]).toEqual([
          query,
          400,
          'validation_failed',
        ]);
      }
    });

    it('shows realm-restricted staff only the realms they work in', async () => {
      const restricted = await sut.newStaff('agent', { realms: [realm.id] });
      expect(await list(`realmId=${searchRealm.id}`, restricted)).toEqual({
        items: [],
        nextCursor: null,
      });
      const everything = await list('limit=100', restricted);
      expect(everything.items.length).toBeGreaterThan(0);
      expect(everything.items.every((s) => s.realmId === realm.id)).toBe(true);
      await sut
        .http()
        .get(`/sanctions/${ids.ban}`)
        .set('authorization', restricted.auth)
        .expect(404);
    });
  });

  describe('GET /sanctions/:id', () => {
    it('shows each server of the realm: sent and pending, or not sent yet', async () => {
      const enforcementRealm = await sut.newRealm();
      const registered = await sut.newGameServer(enforcementRealm);
      const sanction = (
        await issue({
          realmId: enforcementRealm.id,
          playerId: await knownPlayer(registered),
        }).expect(201)
      ).body as SanctionBody;
      const later = await sut.newGameServer(enforcementRealm);

      const detail = (
        await sut.http().get(`/sanctions/${sanction.id}`).set('authorization', agent.auth)
      ).body as SanctionBody;
      expect(detail.enforcement).toEqual([
        {
          serverId: registered.id,
          serverName: expect.any(String),
          action: 'issued',
          status: 'pending',
          sentAt: expect.any(String),
          ackedAt: null,
          supersededBy: null,
        },
        {
          serverId: later.id,
          serverName: expect.any(String),
          action: null,
          status: 'not_sent',
          sentAt: null,
          ackedAt: null,
          supersededBy: null,
        },
      ]);
    });
  });

  describe('GET /realms/:realmId/sanctions/active', () => {
    let activeRealm: TestRealm;
    let activeServer: TestGameServer;
    let inForce: string[];

    beforeAll(async () => {
      activeRealm = await sut.newRealm();
      activeServer = await sut.newGameServer(activeRealm);
      const inActiveRealm = async (type: string, durationMinutes?: number) =>
        (
          (
            await issue({
              realmId: activeRealm.id,
              playerId: await knownPlayer(activeServer),
              type,
              durationMinutes,
            }).expect(201)
          ).body as SanctionBody
        ).id;
      const ban = await inActiveRealm('ban');
      await inActiveRealm('warn');
      await inActiveRealm('kick');
      const timedKick = await inActiveRealm('kick', 60);
      const lifted = await inActiveRealm('ban');
      await revoke(lifted, { reason: 'Mistake' }).expect(200);
      const expired = await inActiveRealm('mute', 10);
      await expire(expired);
      const mute = await inActiveRealm('mute', 10);
      inForce = [ban, timedKick, mute];
    });

    const active = (realmId: string, auth: string, query = '') =>
      sut.http().get(`/realms/${realmId}/sanctions/active${query}`).set('authorization', auth);

    it('lists what the realm’s servers must enforce, oldest first, page by page', async () => {
      const first = await active(activeRealm.id, activeServer.auth, '?limit=2').expect(200);
      const page = first.body as Page<{ sanctionId: string }>;
      expect(page.items.map((s) => s.sanctionId)).toEqual(inForce.slice(0, 2));
      expect(page.items[0]).toEqual({
        sanctionId: inForce[0],
        playerId: expect.any(String),
        type: 'ban',
        publicReason: 'Botting',
        startsAt: expect.any(String),
        expiresAt: null,
      });
      const second = await active(
        activeRealm.id,
        activeServer.auth,
        `?limit=2&cursor=${encodeURIComponent(page.nextCursor ?? '')}`,
      ).expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ sanctionId: inForce[2], type: 'mute' })],
        nextCursor: null,
      });
    });

    it('serves staff of the realm too', async () => {
      const response = await active(activeRealm.id, agent.auth).expect(200);
      expect(
        (response.body as Page<{ sanctionId: string }>).items.map((s) => s.sanctionId),
      ).toEqual(inForce);
    });

    it('answers 404 to a server of another realm, to staff of other realms and for unknown realms', async () => {
      const restricted = await sut.newStaff('agent', { realms: [realm.id] });
      for (const [realmId, auth] of [
        [activeRealm.id, otherServer.auth],
        [activeRealm.id, restricted.auth],
        ['no-such-realm', agent.auth],
      ] as const) {
        const response = await active(realmId, auth);
        expect([response.status, errorCode(response)]).toEqual([404, 'realm_not_found']);
      }
    });

    it('refuses players', async () => {
      const player = await sut.newPlayer(activeRealm);
      const response = await active(activeRealm.id, player.auth);
      expect([response.status, errorCode(response)]).toEqual([403, 'forbidden']);
    });
  });
});

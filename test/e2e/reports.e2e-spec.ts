import { RealmsService, type StaffPrincipal } from '@gmdesk/core';
import type { Response } from 'supertest';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface ErrorEnvelope {
  error: { code: string; message: string; details: unknown };
}

interface Problem {
  field: string;
  problem: string;
}

function minutesFromNow(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

function reportBody(reportedPlayerId: string, extra: Record<string, unknown> = {}) {
  return {
    reportedPlayerId,
    category: 'cheating',
    description: 'Teleported across the arena and one-shot the whole raid.',
    occurredAt: minutesFromNow(-10),
    ...extra,
  };
}

/** Checks the envelope every error shares, and returns it. */
function errorOf(response: Response, status: number, code: string): ErrorEnvelope['error'] {
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({
    status,
    body: { error: { code } },
  });
  const { error } = response.body as ErrorEnvelope;
  expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message']);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

/** A 400 validation_failed; returns its `[{ field, problem }]` details. */
function problemsOf(response: Response): Problem[] {
  const error = errorOf(response, 400, 'validation_failed');
  expect(Array.isArray(error.details)).toBe(true);
  const problems = error.details as Problem[];
  for (const problem of problems) {
    expect(typeof problem.field).toBe('string');
    expect(typeof problem.problem).toBe('string');
  }
  return problems;
}

function fieldsOf(response: Response): string[] {
  return [...new Set(problemsOf(response).map((problem) => problem.field))].sort();
}

describe('report intake over REST', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let otherRealm: TestRealm;
  let server: TestGameServer;
  let sameRealmServer: TestGameServer;
  let agent: TestStaff;
  let moderator: TestStaff;
  let otherRealmModerator: TestStaff;
  let admin: TestStaff;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    otherRealm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    sameRealmServer = await sut.newGameServer(realm);
    agent = await sut.newStaff('agent');
    moderator = await sut.newStaff('moderator');
    otherRealmModerator = await sut.newStaff('moderator', { realms: [otherRealm.id] });
    admin = await sut.newStaff('admin');
  });

  afterAll(() => sut.close());

  const player = (options: { expiresInSeconds?: number; secret?: string } = {}) =>
    sut.newPlayer(realm, options);

  const file = (by: { auth: string }, body: unknown) =>
    sut
      .http()
      .post('/reports')
      .set('Authorization', by.auth)
      .send(body as object);

  async function filedBy(reporter: TestPlayer, reported: string): Promise<{ id: string }> {
    const response = await file(reporter, reportBody(reported)).expect(201);
    return response.body as { id: string };
  }

  describe('POST /reports', () => {
    it('files a report for the player in the token and returns it as created', async () => {
      const reporter = await player();
      const reported = await player();
      const location = { zone: 'Stormwind Harbor', instance: 'inst-7', x: 1.5, y: -2, z: 30 };
      const body = reportBody(reported.accountId, { category: 'harassment', location });

      const response = await file(reporter, body).expect(201);

      expect(response.body).toMatchObject({
        realmId: realm.id,
        reporter: { accountId: reporter.accountId },
        reported: { accountId: reported.accountId },
        category: 'harassment',
        description: body.description,
        occurredAt: body.occurredAt,
        location,
        status: 'open',
        repeatCount: 0,
        outcome: 'created',
      });
      expect(response.body).not.toHaveProperty('ticketId');
      expect(response.body).not.toHaveProperty('reporterWeight');
      const fetched = await sut
        .http()
        .get(`/reports/${(response.body as { id: string }).id}`)
        .set('Authorization', reporter.auth)
        .expect(200);
      expect(fetched.body).toMatchObject({
        id: (response.body as { id: string }).id,
        reporter: { accountId: reporter.accountId },
        reported: { accountId: reported.accountId },
        location,
      });
    });

    it('shows staff the case the report joined and the weight it carried', async () => {
      const reporter = await player();
      const reported = await player();
      const { id } = await filedBy(reporter, reported.accountId);

      const response = await sut
        .http()
        .get(`/reports/${id}`)
        .set('Authorization', agent.auth)
        .expect(200);

      expect(response.body).toMatchObject({ id, reporterWeight: expect.any(Number) as number });
      const { ticketId } = response.body as { ticketId: string };
      const ticket = await sut
        .http()
        .get(`/tickets/${ticketId}`)
        .set('Authorization', agent.auth)
        .expect(200);
      expect(ticket.body).toMatchObject({
        kind: 'moderation',
        subjectPlayer: { accountId: reported.accountId },
      });
    });

    it('refuses fields of the wrong type and names each one', async () => {
      const reporter = await player();

      const response = await file(reporter, {
        reportedPlayerId: 42,
        category: 'being-mean',
        description: true,
        occurredAt: 'yesterday',
        location: 'the docks',
      }).expect(400);

      expect(fieldsOf(response)).toEqual([
        'category',
        'description',
        'location',
        'occurredAt',
        'reportedPlayerId',
      ]);
    });

    it('refuses unknown fields at the top level and inside location', async () => {
      const reporter = await player();
      const reported = await player();

      const response = await file(
        reporter,
        reportBody(reported.accountId, { priority: 'urgent', location: { zone: 'Docks', w: 4 } }),
      ).expect(400);

      expect(fieldsOf(response)).toEqual(['location.w', 'priority']);
    });

    it('names every missing required field', async () => {
      const reporter = await player();

      const response = await file(reporter, {}).expect(400);

      expect(fieldsOf(response)).toEqual([
        'category',
        'description',
        'occurredAt',
        'reportedPlayerId',
      ]);
    });

    it('accepts a description of 2,000 characters and refuses 2,001', async () => {
      const reporter = await player();
      const reported = await player();
      const longest = 'x'.repeat(2000);

      await file(reporter, reportBody(reported.accountId, { description: longest })).expect(201);
      const tooLong = await file(
        reporter,
        reportBody(reported.accountId, { description: `${longest}y`, category: 'spam' }),
      ).expect(400);

      expect(problemsOf(tooLong)).toEqual([
        { field: 'description', problem: expect.stringContaining('2000') as string },
      ]);
    });

    it('reports nested location errors with their full field paths', async () => {
      const reporter = await player();
      const reported = await player();

      const response = await file(
        reporter,
        reportBody(reported.accountId, { location: { x: 'north', y: 2e12, instance: 7 } }),
      ).expect(400);

      expect(fieldsOf(response)).toEqual([
        'location.instance',
        'location.x',
        'location.y',
        'location.zone',
      ]);
    });

    it('refuses a location that is a list instead of an object', async () => {
      const reporter = await player();
      const reported = await player();

      for (const location of [[], [{ zone: 'Docks' }]]) {
        const response = await file(reporter, reportBody(reported.accountId, { location })).expect(
          400,
        );
        expect(fieldsOf(response)).toEqual(['location']);
      }
    });

    it('refuses an incident time without a time zone', async () => {
      const reporter = await player();
      const reported = await player();
      const local = new Date(Date.now() - 3600_000).toISOString().slice(0, 19);

      for (const occurredAt of [local, local.slice(0, 10)]) {
        const response = await file(
          reporter,
          reportBody(reported.accountId, { occurredAt }),
        ).expect(400);
        expect(fieldsOf(response)).toEqual(['occurredAt']);
      }
      await file(reporter, reportBody(reported.accountId, { occurredAt: `${local}+00:00` })).expect(
        201,
      );
    });

    it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
      const reporter = await player();
      const reported = await player();

      const response = await file(
        reporter,
        reportBody(reported.accountId, { description: 'z'.repeat(65 * 1024) }),
      ).expect(413);

      errorOf(response, 413, 'payload_too_large');
    });

    it('refuses malformed JSON with 400 before anything is filed', async () => {
      const reporter = await player();

      const response = await sut
        .http()
        .post('/reports')
        .set('Authorization', reporter.auth)
        .set('Content-Type', 'application/json')
        .send('{"reportedPlayerId": "someone", "category": ')
        .expect(400);

      errorOf(response, 400, 'malformed_json');
      const mine = await sut.http().get('/reports').set('Authorization', reporter.auth).expect(200);
      expect(mine.body).toEqual({ items: [], nextCursor: null });
    });

    it('refuses an incident in the far future but allows a few minutes of clock skew', async () => {
      const reporter = await player();
      const reported = await player();

      const future = await file(
        reporter,
        reportBody(reported.accountId, { occurredAt: minutesFromNow(60) }),
      ).expect(400);
      expect(problemsOf(future).map((problem) => problem.field)).toEqual(['occurredAt']);

      const skewed = await file(
        reporter,
        reportBody(reported.accountId, { occurredAt: minutesFromNow(2) }),
      ).expect(201);
      expect(skewed.body).toMatchObject({ outcome: 'created' });
    });

    it('refuses a player reporting themselves with 422 report_self', async () => {
      const reporter = await player();

      const response = await file(reporter, reportBody(reporter.accountId)).expect(422);

      errorOf(response, 422, 'report_self');
    });

    it('lets a game server file for a player of its realm', async () => {
      const reporterId = `acct-${Date.now().toString(36)}-r`;
      const reported = await player();

      const response = await file(
        server,
        reportBody(reported.accountId, { reporterPlayerId: reporterId, realmId: realm.id }),
      ).expect(201);

      expect(response.body).toMatchObject({
        realmId: realm.id,
        reporter: { accountId: reporterId },
        reported: { accountId: reported.accountId },
        outcome: 'created',
      });
      const { id } = response.body as { id: string };
      await sut.http().get(`/reports/${id}`).set('Authorization', server.auth).expect(200);
      const byOtherServer = await sut
        .http()
        .get(`/reports/${id}`)
        .set('Authorization', sameRealmServer.auth)
        .expect(404);
      errorOf(byOtherServer, 404, 'report_not_found');
    });

    it('refuses a game server that names no reporter with 400', async () => {
      const reported = await player();

      const response = await file(server, reportBody(reported.accountId)).expect(400);

      expect(problemsOf(response).map((problem) => problem.field)).toEqual(['reporterPlayerId']);
    });

    it('refuses a game server naming another realm than its own with 403', async () => {
      const reported = await player();

      const response = await file(
        server,
        reportBody(reported.accountId, { reporterPlayerId: 'someone', realmId: otherRealm.id }),
      ).expect(403);

      errorOf(response, 403, 'realm_forbidden');
    });

    it("refuses a player naming another realm than their token's with 403", async () => {
      const reporter = await player();
      const reported = await player();

      const response = await file(
        reporter,
        reportBody(reported.accountId, { realmId: otherRealm.id }),
      ).expect(403);

      errorOf(response, 403, 'realm_forbidden');
    });

    it('refuses staff, who do not file reports, with 403', async () => {
      const reported = await player();

      for (const staff of [agent, moderator, admin]) {
        const response = await file(staff, reportBody(reported.accountId)).expect(403);
        errorOf(response, 403, 'forbidden');
      }
    });

    it('refuses a request without credentials with 401 unauthenticated', async () => {
      const response = await sut.http().post('/reports').send(reportBody('anyone')).expect(401);

      errorOf(response, 401, 'unauthenticated');
    });

    it('refuses a player token signed with the wrong secret with 401 unauthenticated', async () => {
      const forged = await player({ secret: 'not-the-realm-secret-at-all-0123456789' });

      const response = await file(forged, reportBody('anyone')).expect(401);

      errorOf(response, 401, 'unauthenticated');
    });

    it('refuses an expired player token with 401 token_expired', async () => {
      const expired = await player({ expiresInSeconds: -60 });

      const response = await file(expired, reportBody('anyone')).expect(401);

      errorOf(response, 401, 'token_expired');
    });

    it('refuses a revoked game-server key with 401 key_revoked', async () => {
      const revoked = await sut.newGameServer(realm);
      const reported = await player();
      await file(
        revoked,
        reportBody(reported.accountId, { reporterPlayerId: 'before-revoke' }),
      ).expect(201);
      const actor: StaffPrincipal = {
        kind: 'staff',
        staffId: admin.id,
        role: 'admin',
        realms: [],
      };
      await sut.get(RealmsService).revokeGameServer(actor, revoked.id);

      const response = await file(
        revoked,
        reportBody(reported.accountId, { reporterPlayerId: 'after-revoke' }),
      ).expect(401);

      errorOf(response, 401, 'key_revoked');
    });
  });

  describe('GET /reports and /reports/:id', () => {
    it('lists only the reports the player filed', async () => {
      const alice = await player();
      const bob = await player();
      const target = await player();
      const aliceReport = await filedBy(alice, target.accountId);
      await filedBy(bob, target.accountId);

      const response = await sut
        .http()
        .get('/reports')
        .set('Authorization', alice.auth)
        .expect(200);

      const { items } = response.body as { items: { id: string }[] };
      expect(items.map((item) => item.id)).toEqual([aliceReport.id]);
    });

    it("answers another player's report exactly like a report that does not exist", async () => {
      const alice = await player();
      const bob = await player();
      const target = await player();
      const bobReport = await filedBy(bob, target.accountId);

      const notYours = await sut
        .http()
        .get(`/reports/${bobReport.id}`)
        .set('Authorization', alice.auth)
        .expect(404);
      const notThere = await sut
        .http()
        .get('/reports/00000000-0000-4000-8000-000000000000')
        .set('Authorization', alice.auth)
        .expect(404);

      expect(errorOf(notYours, 404, 'report_not_found').message).toBe(
        errorOf(notThere, 404, 'report_not_found').message,
      );
    });

    it('refuses a report id that is not a uuid with 400', async () => {
      const alice = await player();

      const response = await sut
        .http()
        .get('/reports/not-a-uuid')
        .set('Authorization', alice.auth)
        .expect(400);

      expect(fieldsOf(response)).toEqual(['id']);
    });

    it('hides reports of realms a staff member does not work in', async () => {
      const reporter = await player();
      const target = await player();
      const { id } = await filedBy(reporter, target.accountId);

      const response = await sut
        .http()
        .get(`/reports/${id}`)
        .set('Authorization', otherRealmModerator.auth)
        .expect(404);

      errorOf(response, 404, 'report_not_found');
    });

    it('lets staff list the reports against one player, page by page', async () => {
      const target = await player();
      const filed = [];
      for (let i = 0; i < 3; i += 1) {
        filed.push(await filedBy(await player(), target.accountId));
      }
      const query = { realmId: realm.id, reportedPlayerId: target.accountId, limit: 2 };

      const first = await sut
        .http()
        .get('/reports')
        .query(query)
        .set('Authorization', agent.auth)
        .expect(200);
      const firstPage = first.body as { items: { id: string }[]; nextCursor: string | null };
      expect(firstPage.items).toHaveLength(2);
      expect(firstPage.nextCursor).toEqual(expect.any(String));
      const second = await sut
        .http()
        .get('/reports')
        .query({ ...query, cursor: firstPage.nextCursor })
        .set('Authorization', agent.auth)
        .expect(200);
      const secondPage = second.body as { items: { id: string }[]; nextCursor: string | null };

      expect(secondPage.nextCursor).toBeNull();
      expect([...firstPage.items, ...secondPage.items].map((item) => item.id).sort()).toEqual(
        filed.map((report) => report.id).sort(),
      );
    });

    it('refuses a staff filter by reported player without the realm it belongs to', async () => {
      const response = await sut
        .http()
        .get('/reports')
        .query({ reportedPlayerId: 'someone' })
        .set('Authorization', agent.auth)
        .expect(400);

      expect(fieldsOf(response)).toEqual(['realmId']);
    });

    it('does not let a game server list reports', async () => {
      const response = await sut
        .http()
        .get('/reports')
        .set('Authorization', server.auth)
        .expect(403);

      errorOf(response, 403, 'forbidden');
    });
  });

  describe('players', () => {
    const playerPath = (realmId: string, accountId: string) =>
      `/realms/${realmId}/players/${accountId}`;

    it('lets a game server register a player and refresh the profile', async () => {
      const accountId = `acct-${Date.now().toString(36)}-p`;

      const created = await sut
        .http()
        .put(playerPath(realm.id, accountId))
        .set('Authorization', server.auth)
        .send({ displayName: 'Grimbold', language: 'en' })
        .expect(200);
      expect(created.body).toMatchObject({
        realmId: realm.id,
        accountId,
        displayName: 'Grimbold',
        language: 'en',
        reportBannedUntil: null,
      });
      await sut
        .http()
        .put(playerPath(realm.id, accountId))
        .set('Authorization', server.auth)
        .send({ language: 'pt-BR' })
        .expect(200);

      const fetched = await sut
        .http()
        .get(playerPath(realm.id, accountId))
        .set('Authorization', agent.auth)
        .expect(200);
      expect(fetched.body).toMatchObject({ displayName: 'Grimbold', language: 'pt-BR' });
    });

    it('refuses a profile with bad or unknown fields', async () => {
      const response = await sut
        .http()
        .put(playerPath(realm.id, 'someone'))
        .set('Authorization', server.auth)
        .send({ language: 'english please', credibility: 1 })
        .expect(400);

      expect(fieldsOf(response)).toEqual(['credibility', 'language']);
    });

    it("does not let a game server touch another realm's players", async () => {
      const response = await sut
        .http()
        .put(playerPath(otherRealm.id, 'someone'))
        .set('Authorization', server.auth)
        .send({ displayName: 'Intruder' })
        .expect(404);

      errorOf(response, 404, 'player_not_found');
    });

    it('lets a player read themselves but not anyone else', async () => {
      const alice = await player();
      const bob = await player();
      await filedBy(alice, bob.accountId);

      await sut
        .http()
        .get(playerPath(realm.id, alice.accountId))
        .set('Authorization', alice.auth)
        .expect(200);
      const response = await sut
        .http()
        .get(playerPath(realm.id, bob.accountId))
        .set('Authorization', alice.auth)
        .expect(404);

      errorOf(response, 404, 'player_not_found');
    });

    it('does not let a player register players', async () => {
      const alice = await player();

      const response = await sut
        .http()
        .put(playerPath(realm.id, alice.accountId))
        .set('Authorization', alice.auth)
        .send({ displayName: 'Me' })
        .expect(403);

      errorOf(response, 403, 'forbidden');
    });

    it('lets a moderator report-ban a player and lift it, but not an agent', async () => {
      const abuser = await player();
      const target = await player();
      await filedBy(abuser, target.accountId);
      const path = `${playerPath(realm.id, abuser.accountId)}/report-ban`;
      const ban = { until: minutesFromNow(60 * 24), reason: 'Dozens of false reports' };

      const byAgent = await sut.http().put(path).set('Authorization', agent.auth).send(ban);
      errorOf(byAgent, 403, 'forbidden');
      const byPlayer = await sut.http().put(path).set('Authorization', abuser.auth).send(ban);
      errorOf(byPlayer, 403, 'forbidden');
      const banned = await sut
        .http()
        .put(path)
        .set('Authorization', moderator.auth)
        .send(ban)
        .expect(200);
      expect(banned.body).toMatchObject({
        accountId: abuser.accountId,
        reportBannedUntil: new Date(ban.until).toISOString(),
      });
      const liftByAgent = await sut.http().delete(path).set('Authorization', agent.auth);
      errorOf(liftByAgent, 403, 'forbidden');

      const lifted = await sut.http().delete(path).set('Authorization', admin.auth).expect(200);

      expect(lifted.body).toMatchObject({ reportBannedUntil: null });
      const fetched = await sut
        .http()
        .get(playerPath(realm.id, abuser.accountId))
        .set('Authorization', agent.auth)
        .expect(200);
      expect(fetched.body).toMatchObject({ reportBannedUntil: null });
    });

    it('refuses a report-ban without a reason or an end', async () => {
      const abuser = await player();
      await filedBy(abuser, (await player()).accountId);

      const response = await sut
        .http()
        .put(`${playerPath(realm.id, abuser.accountId)}/report-ban`)
        .set('Authorization', moderator.auth)
        .send({})
        .expect(400);

      expect(fieldsOf(response)).toEqual(['reason', 'until']);
    });

    it('answers a report-ban of an unknown player or one outside the moderator realms with 404', async () => {
      const abuser = await player();
      await filedBy(abuser, (await player()).accountId);
      const ban = { until: minutesFromNow(60), reason: 'Spamming the report button' };

      const unknown = await sut
        .http()
        .put(`${playerPath(realm.id, 'nobody-by-that-name')}/report-ban`)
        .set('Authorization', moderator.auth)
        .send(ban)
        .expect(404);
      const outside = await sut
        .http()
        .put(`${playerPath(realm.id, abuser.accountId)}/report-ban`)
        .set('Authorization', otherRealmModerator.auth)
        .send(ban)
        .expect(404);

      errorOf(unknown, 404, 'player_not_found');
      errorOf(outside, 404, 'player_not_found');
    });
  });
});

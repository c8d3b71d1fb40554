import { Client } from 'pg';
import type { Response } from 'supertest';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface FiledReport {
  id: string;
  outcome: 'created' | 'merged';
  repeatCount: number;
}

function reportBody(reportedPlayerId: string, extra: Record<string, unknown> = {}) {
  return {
    reportedPlayerId,
    category: 'rmt',
    description: 'Selling gold for real money in trade chat.',
    occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...extra,
  };
}

const replayed = (response: Response): boolean =>
  response.headers['idempotent-replayed'] === 'true';

describe('report intake with an Idempotency-Key', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  let moderator: TestStaff;
  let db: Client;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
    moderator = await sut.newStaff('moderator');
    db = new Client({ connectionString: sut.testApp.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await sut.close();
  });

  const file = (reporter: TestPlayer, key: string, body: object) =>
    sut
      .http()
      .post('/reports')
      .set('Authorization', reporter.auth)
      .set('Idempotency-Key', key)
      .send(body);

  /** What staff see: every stored report against the player. */
  async function reportsAgainst(accountId: string): Promise<FiledReport[]> {
    const response = await sut
      .http()
      .get('/reports')
      .query({ realmId: realm.id, reportedPlayerId: accountId, limit: 100 })
      .set('Authorization', agent.auth)
      .expect(200);
    return (response.body as { items: FiledReport[] }).items;
  }

  async function storedKeys(key: string): Promise<number> {
    const result = await db.query<{ count: string }>(
      'SELECT count(*) AS count FROM idempotency_keys WHERE key = $1',
      [key],
    );
    return Number(result.rows[0]?.count);
  }

  it('stores a report submitted twice with one key once and answers both with it', async () => {
    const reporter = await sut.newPlayer(realm);
    const target = await sut.newPlayer(realm);
    const body = reportBody(target.accountId);

    const first = await file(reporter, 'retry-1', body).expect(201);
    const second = await file(reporter, 'retry-1', body).expect(201);

    expect(replayed(first)).toBe(false);
    expect(replayed(second)).toBe(true);
    const firstReport = first.body as FiledReport;
    expect(second.body).toMatchObject({ id: firstReport.id, outcome: 'created' });
    const stored = await reportsAgainst(target.accountId);
    expect(stored.map((report) => report.id)).toEqual([firstReport.id]);
    // A second intake would have merged into the open report and counted a repeat.
    expect(stored[0]?.repeatCount).toBe(0);
  });

  it('stores a report submitted concurrently with one key once, whoever wins', async () => {
    const reporter = await sut.newPlayer(realm);
    for (let round = 0; round < 5; round += 1) {
      const target = await sut.newPlayer(realm);
      const key = `concurrent-${round}`;
      const body = reportBody(target.accountId);

      const responses = await Promise.all(
        Array.from({ length: 6 }, () => file(reporter, key, body)),
      );

      expect(responses.map((response) => response.status)).toEqual(Array(6).fill(201));
      const ids = new Set(responses.map((response) => (response.body as FiledReport).id));
      expect(ids.size).toBe(1);
      expect(responses.filter((response) => !replayed(response))).toHaveLength(1);
      const stored = await reportsAgainst(target.accountId);
      expect(stored.map((report) => ({ id: report.id, repeatCount: report.repeatCount }))).toEqual([
        { id: [...ids][0], repeatCount: 0 },
      ]);
    }
  });

  it('refuses the same key with a different body with 422 and files nothing new', async () => {
    const reporter = await sut.newPlayer(realm);
    const target = await sut.newPlayer(realm);
    const other = await sut.newPlayer(realm);
    const first = await file(reporter, 'reused', reportBody(target.accountId)).expect(201);

    const changed = await file(
      reporter,
      'reused',
      reportBody(target.accountId, { description: 'Something else entirely.' }),
    ).expect(422);
    const retargeted = await file(reporter, 'reused', reportBody(other.accountId)).expect(422);

    for (const response of [changed, retargeted]) {
      expect(response.body).toMatchObject({
        error: { code: 'idempotency_key_reused', message: expect.any(String) as string },
      });
    }
    expect((await reportsAgainst(target.accountId)).map((report) => report.id)).toEqual([
      (first.body as FiledReport).id,
    ]);
    expect(await reportsAgainst(other.accountId)).toEqual([]);
  });

  it('keeps the keys of different players apart', async () => {
    const alice = await sut.newPlayer(realm);
    const bob = await sut.newPlayer(realm);
    const target = await sut.newPlayer(realm);
    const body = reportBody(target.accountId);

    const [byAlice, byBob] = await Promise.all([
      file(alice, 'shared-key', body),
      file(bob, 'shared-key', body),
    ]);

    expect([byAlice.status, byBob.status]).toEqual([201, 201]);
    expect([replayed(byAlice), replayed(byBob)]).toEqual([false, false]);
    expect(byAlice.body).toMatchObject({ reporter: { accountId: alice.accountId } });
    expect(byBob.body).toMatchObject({ reporter: { accountId: bob.accountId } });
    const stored = await reportsAgainst(target.accountId);
    expect(stored.map((report) => report.id).sort()).toEqual(
      [(byAlice.body as FiledReport).id, (byBob.body as FiledReport).id].sort(),
    );
    expect(await storedKeys('shared-key')).toBe(2);
  });

  it('does not use up a key on a request that was refused', async () => {
    const reporter = await sut.newPlayer(realm);
    const target = await sut.newPlayer(realm);
    const earlier = await sut.newPlayer(realm);
    // Filing once makes the reporter a known player whom a moderator can ban.
    await file(reporter, 'first-report', reportBody(earlier.accountId)).expect(201);
    const banPath = `/realms/${realm.id}/players/${reporter.accountId}/report-ban`;
    await sut
      .http()
      .put(banPath)
      .set('Authorization', moderator.auth)
      .send({ until: new Date(Date.now() + 3600_000).toISOString(), reason: 'Testing the ban' })
      .expect(200);
    const body = reportBody(target.accountId);

    const refused = await file(reporter, 'after-ban', body).expect(403);
    expect(refused.body).toMatchObject({ error: { code: 'report_banned' } });
    expect(await storedKeys('after-ban')).toBe(0);
    await sut.http().delete(banPath).set('Authorization', moderator.auth).expect(200);
    const accepted = await file(reporter, 'after-ban', body).expect(201);

    expect(replayed(accepted)).toBe(false);
    expect((await reportsAgainst(target.accountId)).map((report) => report.id)).toEqual([
      (accepted.body as FiledReport).id,
    ]);
  });

  it('refuses an Idempotency-Key that is not 1-255 visible ASCII characters', async () => {
    const reporter = await sut.newPlayer(realm);
    const target = await sut.newPlayer(realm);

    const response = await file(reporter, 'k'.repeat(256), reportBody(target.accountId)).expect(
      400,
    );

    expect(response.body).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String) as string,
        details: [{ field: 'Idempotency-Key', problem: expect.any(String) as string }],
      },
    });
    expect(await reportsAgainst(target.accountId)).toEqual([]);
  });
});

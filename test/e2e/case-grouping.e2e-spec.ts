import type { ReportCategory } from '@gmdesk/contracts';
import { Client } from 'pg';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface FiledReport {
  id: string;
  outcome: 'created' | 'merged';
  repeatCount: number;
  reporter: { accountId: string };
}

interface CaseTicket {
  id: string;
  kind: string;
  status: string;
  category: string;
  priority: string;
  flags: string[];
  score: number;
  reportCount: number;
  reporterCount: number;
  subjectPlayer: { accountId: string } | null;
  reports?: { id: string; reporter: { accountId: string } }[];
}

function reportBody(reportedPlayerId: string, category: ReportCategory = 'cheating') {
  return {
    reportedPlayerId,
    category,
    description: `Reported for ${category}.`,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

/** The intake rules need a realm, staff to look at cases and players to file: one set per app. */
class CaseFixture {
  realm!: TestRealm;
  server!: TestGameServer;
  agent!: TestStaff;
  moderator!: TestStaff;

  constructor(readonly sut: ApiTestContext) {}

  async init(): Promise<this> {
    this.realm = await this.sut.newRealm();
    this.server = await this.sut.newGameServer(this.realm);
    this.agent = await this.sut.newStaff('agent');
    this.moderator = await this.sut.newStaff('moderator');
    return this;
  }

  player(options: { name?: string } = {}): Promise<TestPlayer> {
    return this.sut.newPlayer(this.realm, options);
  }

  /**
   * A player the platform already knows (registered by the game server), not a first filer.
   * With `name`, the token carries a display name that differs from the registered one, so
   * filing also updates the player's row.
   */
  async knownPlayer(options: { name?: string } = {}): Promise<TestPlayer> {
    const player = await this.player(options);
    await this.sut
      .http()
      .put(`/realms/${this.realm.id}/players/${player.accountId}`)
      .set('Authorization', this.server.auth)
      .send({ displayName: `Known ${player.accountId}` })
      .expect(200);
    return player;
  }

  file(reporter: TestPlayer, reported: string, category: ReportCategory = 'cheating') {
    return this.sut
      .http()
      .post('/reports')
      .set('Authorization', reporter.auth)
      .send(reportBody(reported, category));
  }

  async caseOfReport(reportId: string): Promise<string> {
    const response = await this.sut
      .http()
      .get(`/reports/${reportId}`)
      .set('Authorization', this.agent.auth)
      .expect(200);
    return (response.body as { ticketId: string }).ticketId;
  }

  async ticket(id: string): Promise<CaseTicket> {
    const response = await this.sut
      .http()
      .get(`/tickets/${id}`)
      .set('Authorization', this.agent.auth)
      .expect(200);
    return response.body as CaseTicket;
  }

  /** The moderation queue, narrowed to the cases about one player. */
  async casesAgainst(accountId: string): Promise<CaseTicket[]> {
    const response = await this.sut
      .http()
      .get('/tickets')
      .query({ kind: 'moderation', realmId: this.realm.id, limit: 100 })
      .set('Authorization', this.agent.auth)
      .expect(200);
    return (response.body as { items: CaseTicket[] }).items.filter(
      (ticket) => ticket.subjectPlayer?.accountId === accountId,
    );
  }
}

describe('moderation cases from report intake', () => {
  let sut: ApiTestContext;
  let fx: CaseFixture;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    fx = await new CaseFixture(sut).init();
  });

  afterAll(() => sut.close());

  it('gathers three reporters of one offender in one category group into one case', async () => {
    const offender = await fx.player();
    const reporters = [await fx.player(), await fx.player(), await fx.player()];
    const categories: ReportCategory[] = ['cheating', 'exploit', 'griefing'];

    const filed: FiledReport[] = [];
    for (const [index, reporter] of reporters.entries()) {
      const response = await fx.file(reporter, offender.accountId, categories[index]).expect(201);
      filed.push(response.body as FiledReport);
    }

    const cases = await fx.casesAgainst(offender.accountId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'moderation', category: 'unfair_play' });
    const ticket = await fx.ticket(cases[0].id);
    expect(ticket).toMatchObject({ reportCount: 3, reporterCount: 3 });
    expect(ticket.reports?.map((report) => report.id).sort()).toEqual(
      filed.map((report) => report.id).sort(),
    );
    expect(ticket.reports?.map((report) => report.reporter.accountId).sort()).toEqual(
      reporters.map((reporter) => reporter.accountId).sort(),
    );
  });

  it('opens a second case for reports in another category group', async () => {
    const offender = await fx.player();
    const cheatingReport = (await fx.file(await fx.player(), offender.accountId).expect(201))
      .body as FiledReport;

    const abuseReport = (
      await fx.file(await fx.player(), offender.accountId, 'harassment').expect(201)
    ).body as FiledReport;

    const cheatingCase = await fx.caseOfReport(cheatingReport.id);
    const abuseCase = await fx.caseOfReport(abuseReport.id);
    expect(abuseCase).not.toBe(cheatingCase);
    const cases = await fx.casesAgainst(offender.accountId);
    expect(cases.map((ticket) => [ticket.id, ticket.category]).sort()).toEqual(
      [
        [cheatingCase, 'unfair_play'],
        [abuseCase, 'abuse'],
      ].sort(),
    );
  });

  it('merges a repeat by the same reporter into the open report instead of adding one', async () => {
    const offender = await fx.player();
    const reporter = await fx.player();
    const first = (await fx.file(reporter, offender.accountId, 'cheating').expect(201))
      .body as FiledReport;

    const again = await fx.file(reporter, offender.accountId, 'exploit').expect(200);
    const thrice = await fx.file(reporter, offender.accountId, 'cheating').expect(200);

    expect(again.body).toMatchObject({ id: first.id, outcome: 'merged', repeatCount: 1 });
    expect(thrice.body).toMatchObject({ id: first.id, outcome: 'merged', repeatCount: 2 });
    const ticket = await fx.ticket(await fx.caseOfReport(first.id));
    expect(ticket).toMatchObject({ reportCount: 1, reporterCount: 1 });
    expect(ticket.reports?.map((report) => report.id)).toEqual([first.id]);
  });

  it('refuses a report-banned player with 403 and accepts them again once the ban is lifted', async () => {
    const abuser = await fx.player();
    await fx.file(abuser, (await fx.player()).accountId).expect(201);
    const banPath = `/realms/${fx.realm.id}/players/${abuser.accountId}/report-ban`;
    await sut
      .http()
      .put(banPath)
      .set('Authorization', fx.moderator.auth)
      .send({ until: new Date(Date.now() + 86_400_000).toISOString(), reason: 'False reports' })
      .expect(200);
    const target = await fx.player();

    const refused = await fx.file(abuser, target.accountId).expect(403);

    expect(refused.body).toMatchObject({ error: { code: 'report_banned' } });
    expect(await fx.casesAgainst(target.accountId)).toEqual([]);
    await sut.http().delete(banPath).set('Authorization', fx.moderator.auth).expect(200);
    await fx.file(abuser, target.accountId).expect(201);
    expect(await fx.casesAgainst(target.accountId)).toHaveLength(1);
  });

  it('opens exactly one case when many players report one offender at the same moment', async () => {
    for (let round = 0; round < 3; round += 1) {
      // Round 0: nobody is known yet, so the players are created by the racing filings too.
      const newcomers = round === 0;
      const offender = newcomers ? await fx.player() : await fx.knownPlayer();
      const reporters = await Promise.all(
        Array.from({ length: 8 }, () => (newcomers ? fx.player() : fx.knownPlayer())),
      );

      const responses = await Promise.all(
        reporters.map((reporter) => fx.file(reporter, offender.accountId)),
      );

      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
      const cases = await fx.casesAgainst(offender.accountId);
      expect(cases).toHaveLength(1);
      const ticket = await fx.ticket(cases[0].id);
      expect(ticket).toMatchObject({ reportCount: 8, reporterCount: 8 });
      expect(ticket.reports?.map((report) => report.id).sort()).toEqual(
        responses.map((response) => (response.body as FiledReport).id).sort(),
      );
    }
  });

  it('lets two players report each other at the same moment', async () => {
    for (let round = 0; round < 6; round += 1) {
      const named = round % 2 === 1 ? { name: `Renamed ${round}` } : {};
      const [alice, bob] = await Promise.all([fx.knownPlayer(named), fx.knownPlayer(named)]);

      const [aliceFiles, bobFiles] = await Promise.all([
        fx.file(alice, bob.accountId, 'harassment'),
        fx.file(bob, alice.accountId, 'harassment'),
      ]);

      expect([aliceFiles.status, bobFiles.status]).toEqual([201, 201]);
      expect(await fx.casesAgainst(alice.accountId)).toHaveLength(1);
      expect(await fx.casesAgainst(bob.accountId)).toHaveLength(1);
    }
  });

  describe('brigading', () => {
    let db: Client;

    beforeAll(async () => {
      db = new Client({ connectionString: sut.testApp.database.url });
      await db.connect();
    });

    afterAll(() => db.end());

    async function pileOn(reporters: TestPlayer[]): Promise<CaseTicket> {
      const offender = await fx.player();
      let last: FiledReport | undefined;
      for (const reporter of reporters) {
        last = (await fx.file(reporter, offender.accountId, 'cheating').expect(201))
          .body as FiledReport;
      }
      return fx.ticket(await fx.caseOfReport(last!.id));
    }

    it('flags a pile-on from brand-new accounts and keeps the category base priority', async () => {
      const newcomers = await Promise.all(Array.from({ length: 6 }, () => fx.player()));

      const ticket = await pileOn(newcomers);

      expect(ticket).toMatchObject({
        reportCount: 6,
        reporterCount: 6,
        flags: ['possible_brigading'],
        // cheating is severe: its base priority is high, and six credible reporters make it urgent.
        priority: 'high',
      });
    });

    it('escalates the same pile-on from established accounts', async () => {
      const veterans = await Promise.all(Array.from({ length: 6 }, () => fx.knownPlayer()));
      // "First seen" is when the platform first stored the player; move it back a month.
      await db.query(
        `UPDATE players SET created_at = now() - interval '30 days'
          WHERE realm_id = $1 AND account_id = ANY($2)`,
        [fx.realm.id, veterans.map((player) => player.accountId)],
      );

      const ticket = await pileOn(veterans);

      expect(ticket).toMatchObject({
        reportCount: 6,
        reporterCount: 6,
        flags: [],
        priority: 'urgent',
      });
    });
  });

  describe('reporter cooldown', () => {
    let limited: ApiTestContext;
    let lfx: CaseFixture;

    beforeAll(async () => {
      limited = await ApiTestContext.start({
        reports: { reporterLimit: 2, reporterWindowSeconds: 3600, targetCooldownSeconds: 900 },
      });
      lfx = await new CaseFixture(limited).init();
    });

    afterAll(() => limited.close());

    it('refuses a reporter over the limit with 429 and a Retry-After', async () => {
      const reporter = await lfx.player();
      const first = await lfx.player();
      await lfx.file(reporter, first.accountId).expect(201);
      await lfx.file(reporter, (await lfx.player()).accountId).expect(201);
      const third = await lfx.player();

      const refused = await lfx.file(reporter, third.accountId).expect(429);

      expect(refused.body).toMatchObject({
        error: { code: 'report_rate_limited', message: expect.any(String) as string },
      });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(await lfx.casesAgainst(third.accountId)).toEqual([]);
      // A repeat is not a new report: it still merges. Another reporter is not held back.
      await lfx.file(reporter, first.accountId).expect(200);
      await lfx.file(await lfx.player(), third.accountId).expect(201);
    });

    it('holds back a reporter whose filings race past the limit', async () => {
      const reporter = await lfx.knownPlayer();
      const targets = await Promise.all(Array.from({ length: 5 }, () => lfx.player()));

      const responses = await Promise.all(
        targets.map((target) => lfx.file(reporter, target.accountId)),
      );

      expect(responses.map((response) => response.status).sort()).toEqual([
        201, 201, 429, 429, 429,
      ]);
    });
  });
});

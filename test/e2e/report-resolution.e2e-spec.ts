import type { ReportCategory, ReportResolution, TicketStatus } from '@gmdesk/contracts';
import { GameServerClient } from '@gmdesk/sdk';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { ResolveReportsOfClosedCases1764070002000 } from '../../libs/db/src/migrations/1764070002000-ResolveReportsOfClosedCases';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface ReportBody {
  id: string;
  outcome?: 'created' | 'merged';
  status: 'open' | ReportResolution;
  resolvedAt: string | null;
  ticketId?: string;
}

interface CaseBody {
  id: string;
  status: TicketStatus;
  flags: string[];
  priority: string;
  reportCount: number;
  subjectPlayer: { accountId: string } | null;
  reports?: ReportBody[];
}

interface AuditEntry {
  action: string;
  targetId: string;
  after: Record<string, unknown> | null;
}

/** The cooldown after a resolved report; tests move resolved_at back to let it pass. */
const COOLDOWN_SECONDS = 600;

const errorOf = (response: Response) =>
  (response.body as { error: { code: string; details: unknown } }).error;

describe('report resolution: closing a case resolves its reports', () => {
  let sut: ApiTestContext;
  let db: Client;
  let realm: TestRealm;
  let server: TestGameServer;
  let agent: TestStaff;
  let moderator: TestStaff;
  let admin: TestStaff;

  beforeAll(async () => {
    sut = await ApiTestContext.start(
      {
        reports: {
          reporterLimit: 1000,
          reporterWindowSeconds: 3600,
          targetCooldownSeconds: COOLDOWN_SECONDS,
        },
      },
      { gateway: true },
    );
    db = new Client({ connectionString: sut.testApp.database.url });
    await db.connect();
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    agent = await sut.newStaff('agent');
    moderator = await sut.newStaff('moderator');
    admin = await sut.newStaff('admin');
  });

  afterAll(async () => {
    await db.end();
    await sut.close();
  });

  const player = (): Promise<TestPlayer> => sut.newPlayer(realm);

  const file = (reporter: TestPlayer, reported: string, category: ReportCategory = 'harassment') =>
    sut
      .http()
      .post('/reports')
      .set('Authorization', reporter.auth)
      .send({
        reportedPlayerId: reported,
        category,
        description: `Reported for ${category}.`,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      });

  async function fileCreated(
    reporter: TestPlayer,
    reported: string,
    category: ReportCategory = 'harassment',
  ): Promise<ReportBody> {
    const response = await file(reporter, reported, category).expect(201);
    return response.body as ReportBody;
  }

  async function reportAsStaff(id: string): Promise<ReportBody> {
    const response = await sut
      .http()
      .get(`/reports/${id}`)
      .set('Authorization', agent.auth)
      .expect(200);
    return response.body as ReportBody;
  }

  async function caseOf(reportId: string): Promise<string> {
    return (await reportAsStaff(reportId)).ticketId!;
  }

  async function caseDetail(id: string): Promise<CaseBody> {
    const response = await sut
      .http()
      .get(`/tickets/${id}`)
      .set('Authorization', agent.auth)
      .expect(200);
    return response.body as CaseBody;
  }

  /** The cases about a player that are still in the queue (new, open or pending). */
  async function openCasesAgainst(accountId: string): Promise<CaseBody[]> {
    const response = await sut
      .http()
      .get('/tickets')
      .query({ kind: 'moderation', realmId: realm.id, status: 'new,open,pending', limit: 100 })
      .set('Authorization', agent.auth)
      .expect(200);
    return (response.body as { items: CaseBody[] }).items.filter(
      (ticket) => ticket.subjectPlayer?.accountId === accountId,
    );
  }

  const setStatus = (caseId: string, status: TicketStatus, reportOutcome?: string) =>
    sut
      .http()
      .post(`/tickets/${caseId}/status`)
      .set('Authorization', agent.auth)
      .send(reportOutcome === undefined ? { status } : { status, reportOutcome });

  async function sanction(caseId: string, accountId: string): Promise<string> {
    const response = await sut
      .http()
      .post('/sanctions')
      .set('Authorization', moderator.auth)
      .send({
        realmId: realm.id,
        playerId: accountId,
        type: 'warn',
        publicReason: 'Harassing other players',
        ticketId: caseId,
      })
      .expect(201);
    return (response.body as { id: string }).id;
  }

  async function credibility(accountId: string): Promise<number> {
    const response = await sut
      .http()
      .get(`/realms/${realm.id}/players/${accountId}`)
      .set('Authorization', agent.auth)
      .expect(200);
    return (response.body as { reportCredibility: number }).reportCredibility;
  }

  async function auditOf(caseId: string): Promise<AuditEntry[]> {
    const response = await sut
      .http()
      .get('/audit')
      .query({ targetId: caseId, limit: 100 })
      .set('Authorization', admin.auth)
      .expect(200);
    return (response.body as { items: AuditEntry[] }).items;
  }

  /** Lets REPORT_TARGET_COOLDOWN_SECONDS pass for this reporter's resolved reports. */
  async function cooldownPasses(reporter: TestPlayer): Promise<void> {
    await db.query(
      `UPDATE reports SET resolved_at = resolved_at - make_interval(secs => $3)
        WHERE resolved_at IS NOT NULL AND reporter_player_id =
              (SELECT id FROM players WHERE realm_id = $1 AND account_id = $2)`,
      [realm.id, reporter.accountId, COOLDOWN_SECONDS + 1],
    );
  }

  describe('a repeat report after the case was solved', () => {
    it('opens a new open case (201 created) that staff see, instead of merging into the solved one', async () => {
      const offender = await player();
      const witness = await player();
      const first = await fileCreated(witness, offender.accountId);
      const solvedCase = await caseOf(first.id);
      await setStatus(solvedCase, 'solved').expect(200);
      await cooldownPasses(witness);

      const again = await file(witness, offender.accountId).expect(201);

      const repeat = again.body as ReportBody;
      expect(repeat).toMatchObject({ outcome: 'created', status: 'open', resolvedAt: null });
      expect(repeat.id).not.toBe(first.id);
      const newCase = await caseOf(repeat.id);
      expect(newCase).not.toBe(solvedCase);
      expect((await openCasesAgainst(offender.accountId)).map((ticket) => ticket.id)).toEqual([
        newCase,
      ]);
      const detail = await caseDetail(newCase);
      expect(detail).toMatchObject({ status: 'new', reportCount: 1 });
      expect(detail.reports?.map((report) => report.id)).toEqual([repeat.id]);
    });

    it('is held back by the target cooldown after the resolution, with 429 and Retry-After', async () => {
      const offender = await player();
      const witness = await player();
      const first = await fileCreated(witness, offender.accountId);
      await setStatus(await caseOf(first.id), 'solved').expect(200);

      const refused = await file(witness, offender.accountId).expect(429);

      expect(errorOf(refused).code).toBe('report_cooldown');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(COOLDOWN_SECONDS - 60);
      expect(retryAfter).toBeLessThanOrEqual(COOLDOWN_SECONDS);
      expect(await openCasesAgainst(offender.accountId)).toEqual([]);
      // The cooldown is per reporter and target: someone else is heard at once.
      const other = await fileCreated(await player(), offender.accountId);
      expect(await openCasesAgainst(offender.accountId)).toHaveLength(1);
      await cooldownPasses(witness);
      const later = await fileCreated(witness, offender.accountId);
      expect(await caseOf(later.id)).toBe(await caseOf(other.id));
    });
  });

  describe('the outcome', () => {
    it("upholds the reports of a case that led to a sanction and raises the reporters' credibility", async () => {
      const offender = await player();
      const reporters = [await player(), await player()];
      const filed = [
        await fileCreated(reporters[0], offender.accountId),
        await fileCreated(reporters[1], offender.accountId),
      ];
      const caseId = await caseOf(filed[0].id);
      await sanction(caseId, offender.accountId);

      await setStatus(caseId, 'solved').expect(200);

      const detail = await caseDetail(caseId);
      expect(detail.reports?.map((report) => report.status)).toEqual(['upheld', 'upheld']);
      for (const report of detail.reports ?? []) {
        expect(Date.parse(report.resolvedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
      }
      expect(await credibility(reporters[0].accountId)).toBeCloseTo(0.55, 5);
      expect(await credibility(reporters[1].accountId)).toBeCloseTo(0.55, 5);
      const resolve = (await auditOf(caseId)).find((entry) => entry.action === 'report.resolve');
      expect(resolve?.after).toMatchObject({ resolution: 'upheld', decidedBy: 'sanctions' });
      expect((resolve?.after?.reportIds as string[]).sort()).toEqual(
        filed.map((report) => report.id).sort(),
      );
    });

    it("rejects the reports of a case solved without a sanction and lowers the reporter's credibility", async () => {
      const offender = await player();
      const reporter = await player();
      const report = await fileCreated(reporter, offender.accountId);

      await setStatus(await caseOf(report.id), 'solved').expect(200);

      expect(await reportAsStaff(report.id)).toMatchObject({ status: 'rejected' });
      expect(await credibility(reporter.accountId)).toBeCloseTo(0.4, 5);
    });

    it('does not count a revoked sanction as action taken', async () => {
      const offender = await player();
      const reporter = await player();
      const report = await fileCreated(reporter, offender.accountId);
      const caseId = await caseOf(report.id);
      const revoked = await sanction(caseId, offender.accountId);
      await sut
        .http()
        .post(`/sanctions/${revoked}/revoke`)
        .set('Authorization', moderator.auth)
        .send({ reason: 'Issued in error' })
        .expect(200);

      await setStatus(caseId, 'solved').expect(200);

      expect(await reportAsStaff(report.id)).toMatchObject({ status: 'rejected' });
    });

    it('takes the outcome staff choose on closing, and audits that staff chose it', async () => {
      const offender = await player();
      const reporter = await player();
      const report = await fileCreated(reporter, offender.accountId);
      const caseId = await caseOf(report.id);

      await setStatus(caseId, 'solved', 'upheld').expect(200);

      expect(await reportAsStaff(report.id)).toMatchObject({ status: 'upheld' });
      expect(await credibility(reporter.accountId)).toBeCloseTo(0.55, 5);
      const resolve = (await auditOf(caseId)).find((entry) => entry.action === 'report.resolve');
      expect(resolve?.after).toMatchObject({ resolution: 'upheld', decidedBy: 'staff' });

      const sanctioned = await player();
      const second = await fileCreated(reporter, sanctioned.accountId);
      const sanctionedCase = await caseOf(second.id);
      await sanction(sanctionedCase, sanctioned.accountId);
      await setStatus(sanctionedCase, 'solved', 'rejected').expect(200);
      expect(await reportAsStaff(second.id)).toMatchObject({ status: 'rejected' });
      expect(await credibility(reporter.accountId)).toBeCloseTo(0.44, 5);
    });

    it('refuses a report outcome that does not fit the change, and changes nothing', async () => {
      const offender = await player();
      const report = await fileCreated(await player(), offender.accountId);
      const caseId = await caseOf(report.id);
      const requester = await player();
      const support = await sut
        .http()
        .post('/tickets')
        .set('Authorization', requester.auth)
        .send({ category: 'stuck', subject: 'Stuck', body: 'Help' })
        .expect(201);

      const refusals = [
        await setStatus(caseId, 'pending', 'upheld').expect(400),
        await setStatus(caseId, 'solved', 'maybe').expect(400),
        await setStatus((support.body as { id: string }).id, 'solved', 'upheld').expect(400),
      ];

      for (const refused of refusals) {
        expect(errorOf(refused).code).toBe('validation_failed');
        expect(JSON.stringify(errorOf(refused).details)).toContain('reportOutcome');
      }
      expect(await caseDetail(caseId)).toMatchObject({ status: 'new' });
      expect(await reportAsStaff(report.id)).toMatchObject({ status: 'open', resolvedAt: null });
    });

    it('shows the reporter the outcome of their own report', async () => {
      const offender = await player();
      const reporter = await player();
      const report = await fileCreated(reporter, offender.accountId);
      await setStatus(await caseOf(report.id), 'solved').expect(200);

      const mine = await sut
        .http()
        .get(`/reports/${report.id}`)
        .set('Authorization', reporter.auth)
        .expect(200);
      const listed = await sut
        .http()
        .get('/reports')
        .query({ status: 'rejected' })
        .set('Authorization', reporter.auth)
        .expect(200);

      expect(mine.body).toMatchObject({ id: report.id, status: 'rejected' });
      expect(Date.parse((mine.body as ReportBody).resolvedAt ?? '')).not.toBeNaN();
      expect((mine.body as ReportBody).ticketId).toBeUndefined();
      expect((listed.body as { items: ReportBody[] }).items.map((item) => item.id)).toEqual([
        report.id,
      ]);
    });
  });

  describe('reopening a case', () => {
    it('leaves its resolved reports resolved; a later report joins the reopened case', async () => {
      const offender = await player();
      const reporter = await player();
      const first = await fileCreated(reporter, offender.accountId);
      const caseId = await caseOf(first.id);
      await setStatus(caseId, 'solved').expect(200);

      await setStatus(caseId, 'open').expect(200);

      expect(await reportAsStaff(first.id)).toMatchObject({ status: 'rejected' });
      expect(await credibility(reporter.accountId)).toBeCloseTo(0.4, 5);
      const later = await fileCreated(await player(), offender.accountId);
      expect(await caseOf(later.id)).toBe(caseId);
      // Solving it again resolves only what is open now.
      await setStatus(caseId, 'solved', 'upheld').expect(200);
      expect(await reportAsStaff(first.id)).toMatchObject({ status: 'rejected' });
      expect(await reportAsStaff(later.id)).toMatchObject({ status: 'upheld' });
    });

    it('is refused with 409 while a newer open case about the same player holds new reports', async () => {
      const offender = await player();
      const first = await fileCreated(await player(), offender.accountId);
      const oldCase = await caseOf(first.id);
      await setStatus(oldCase, 'solved').expect(200);
      const newer = await fileCreated(await player(), offender.accountId);

      const refused = await setStatus(oldCase, 'open').expect(409);

      expect(errorOf(refused)).toMatchObject({
        code: 'ticket_case_conflict',
        details: { openCaseId: await caseOf(newer.id) },
      });
      expect(await caseDetail(oldCase)).toMatchObject({ status: 'solved' });
    });
  });

  describe('closing while reporters file', () => {
    it('answers every request, with no deadlock between closing and report intake', async () => {
      for (let round = 0; round < 3; round += 1) {
        const offender = await player();
        const reporters = await Promise.all(Array.from({ length: 6 }, () => player()));
        const filed = await Promise.all(
          reporters.map((reporter) => fileCreated(reporter, offender.accountId)),
        );
        const caseId = await caseOf(filed[0].id);
        const others = await Promise.all(reporters.map(() => player()));
        const newcomers = await Promise.all(Array.from({ length: 4 }, () => player()));

        const responses = await Promise.all([
          setStatus(caseId, 'solved'),
          // Repeats: merged while the case is open, refused by the cooldown once it is solved.
          ...reporters.map((reporter) => file(reporter, offender.accountId)),
          // The same reporters' row locks, taken for other targets.
          ...reporters.map((reporter, index) => file(reporter, others[index].accountId)),
          // First reports that race the solve for the case: they join it or open a new one.
          ...newcomers.map((newcomer) => file(newcomer, offender.accountId)),
        ]);

        const statuses = responses.map((response) => response.status);
        expect(statuses.filter((status) => status >= 500)).toEqual([]);
        expect(statuses[0]).toBe(200);
        for (const status of statuses.slice(1)) {
          expect([200, 201, 429]).toContain(status);
        }
        const stillOpen = await db.query(
          `SELECT r.id FROM reports r JOIN tickets t ON t.id = r.ticket_id
            WHERE r.status = 'open' AND t.status IN ('solved', 'closed')`,
        );
        expect(stillOpen.rows).toEqual([]);
        expect((await openCasesAgainst(offender.accountId)).length).toBeLessThanOrEqual(1);
      }
    });
  });

  describe('account age from the game', () => {
    async function registered(accountCreatedAt: Date): Promise<TestPlayer> {
      const known = await player();
      await sut
        .http()
        .put(`/realms/${realm.id}/players/${known.accountId}`)
        .set('Authorization', server.auth)
        .send({ accountCreatedAt: accountCreatedAt.toISOString() })
        .expect(200);
      return known;
    }

    async function pileOn(reporters: TestPlayer[]): Promise<CaseBody> {
      const offender = await player();
      let last: ReportBody | undefined;
      for (const reporter of reporters) {
        last = await fileCreated(reporter, offender.accountId, 'cheating');
      }
      return caseDetail(await caseOf(last!.id));
    }

    const daysAgo = (days: number): Date => new Date(Date.now() - days * 86_400_000);

    it('counts accounts the game created 30 days ago as established, though gmdesk met them today', async () => {
      const veterans = await Promise.all(Array.from({ length: 6 }, () => registered(daysAgo(30))));

      const ticket = await pileOn(veterans);

      // Cheating is severe (high); six established reporters escalate it to urgent.
      expect(ticket).toMatchObject({ reportCount: 6, flags: [], priority: 'urgent' });
    });

    it('counts accounts the game created an hour ago as new, though gmdesk first saw them a month ago', async () => {
      const fresh = await Promise.all(
        Array.from({ length: 6 }, () => registered(new Date(Date.now() - 3_600_000))),
      );
      await db.query(
        `UPDATE players SET created_at = now() - interval '30 days'
          WHERE realm_id = $1 AND account_id = ANY($2)`,
        [realm.id, fresh.map((known) => known.accountId)],
      );

      const ticket = await pileOn(fresh);

      expect(ticket).toMatchObject({ flags: ['possible_brigading'], priority: 'high' });
    });

    it('stores the account age and shows it with the player', async () => {
      const createdAt = daysAgo(400);
      const known = await registered(createdAt);

      const response = await sut
        .http()
        .get(`/realms/${realm.id}/players/${known.accountId}`)
        .set('Authorization', agent.auth)
        .expect(200);

      expect(response.body).toMatchObject({ accountCreatedAt: createdAt.toISOString() });
    });

    it('refuses an account age in the future, before 2000 or not a timestamp', async () => {
      const known = await player();
      const upsert = (accountCreatedAt: string) =>
        sut
          .http()
          .put(`/realms/${realm.id}/players/${known.accountId}`)
          .set('Authorization', server.auth)
          .send({ accountCreatedAt });

      const refused = [
        await upsert(new Date(Date.now() + 86_400_000).toISOString()).expect(400),
        await upsert('1999-12-31T23:59:59Z').expect(400),
        await upsert('last tuesday').expect(400),
      ];

      for (const response of refused) {
        expect(errorOf(response).code).toBe('validation_failed');
        expect(JSON.stringify(errorOf(response).details)).toContain('accountCreatedAt');
      }
      // A few minutes of clock skew are fine.
      await upsert(new Date(Date.now() + 60_000).toISOString()).expect(200);
    });

    it('takes the account age from player.session on /game too', async () => {
      const game = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey });
      await game.connect({ timeoutMs: 10_000 });
      try {
        const accountId = `session-${Date.now()}`;
        const createdAt = daysAgo(12);

        const ack = await game.playerSession(accountId, 'login', { accountCreatedAt: createdAt });
        const refused = await game.playerSession(`${accountId}-x`, 'login', {
          accountCreatedAt: '1970-01-01T00:00:00Z',
        });

        expect(ack).toMatchObject({ ok: true });
        const stored = await sut
          .http()
          .get(`/realms/${realm.id}/players/${accountId}`)
          .set('Authorization', agent.auth)
          .expect(200);
        expect(stored.body).toMatchObject({ accountCreatedAt: createdAt.toISOString() });
        expect(refused).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      } finally {
        game.close();
      }
    });
  });

  describe('the upgrade', () => {
    it('resolves reports left open on cases solved before resolution existed', async () => {
      const offender = await player();
      const sanctioned = await player();
      const plain = await fileCreated(await player(), offender.accountId);
      const upheld = await fileCreated(await player(), sanctioned.accountId);
      const plainCase = await caseOf(plain.id);
      const upheldCase = await caseOf(upheld.id);
      await sanction(upheldCase, sanctioned.accountId);
      // What the old code left behind: solved cases whose reports were never resolved.
      await db.query(
        `UPDATE tickets SET status = 'solved', solved_at = now() - interval '1 day' WHERE id = ANY($1)`,
        [[plainCase, upheldCase]],
      );

      const runner = sut.get(DataSource).createQueryRunner();
      try {
        await new ResolveReportsOfClosedCases1764070002000().up(runner);
      } finally {
        await runner.release();
      }

      expect(await reportAsStaff(plain.id)).toMatchObject({ status: 'rejected' });
      expect(await reportAsStaff(upheld.id)).toMatchObject({ status: 'upheld' });
      const resolvedAt = Date.parse((await reportAsStaff(plain.id)).resolvedAt ?? '');
      expect(resolvedAt).toBeLessThan(Date.now() - 23 * 3_600_000);
    });
  });
});

import { Client } from 'pg';
import type { Response } from 'supertest';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface BacklogCell {
  readonly kind: string;
  readonly priority: string;
  readonly open: number;
  readonly unassigned: number;
  readonly breaching: number;
  readonly awaitingFirstResponse: number;
}

interface Backlog {
  readonly generatedAt: string;
  readonly totals: Omit<BacklogCell, 'kind' | 'priority'>;
  readonly cells: BacklogCell[];
  readonly oldestWaiting: Array<{
    kind: string;
    ticketId: string;
    realmId: string;
    subject: string;
    createdAt: string;
    waitingSeconds: number;
  }>;
}

interface Intake {
  readonly hours: number;
  readonly buckets: Array<{ hour: string; reports: number; supportTickets: number; cases: number }>;
  readonly totals: { reports: number; supportTickets: number; cases: number };
}

interface Figures {
  readonly tickets: number;
  readonly answered: number;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

interface ResponseTimes {
  readonly bucket: string;
  readonly buckets: Array<Figures & { start: string }>;
  readonly overall: Figures;
}

const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString();

describe('dashboard statistics (GET /stats/*)', () => {
  let sut: ApiTestContext;
  let db: Client;
  let agent: TestStaff;
  let agentOfA: TestStaff;
  let realmA: TestRealm;
  let realmB: TestRealm;
  let answeredTicketId: string;
  let oldestSupportTicketId: string;

  async function get<T>(path: string, staff: TestStaff, query: object = {}): Promise<T> {
    const response = await sut.http().get(path).query(query).set('Authorization', staff.auth);
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
    return response.body as T;
  }

  async function fileReport(reporter: TestPlayer, reported: string): Promise<void> {
    await sut
      .http()
      .post('/reports')
      .set('Authorization', reporter.auth)
      .send({
        reportedPlayerId: reported,
        category: 'cheating',
        description: 'Flew over the wall and killed everyone at the bank.',
        occurredAt: minutesAgo(5),
      })
      .expect(201);
  }

  async function openTicket(player: TestPlayer, subject: string): Promise<string> {
    const response = await sut
      .http()
      .post('/tickets')
      .set('Authorization', player.auth)
      .send({ category: 'stuck', subject, body: 'I cannot leave the dungeon.' })
      .expect(201);
    return (response.body as { id: string }).id;
  }

  async function write(ticketId: string, visibility: 'public' | 'internal'): Promise<void> {
    await sut
      .http()
      .post(`/tickets/${ticketId}/messages`)
      .set('Authorization', agent.auth)
      .send({ body: 'On it.', visibility })
      .expect(201);
  }

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    db = new Client({ connectionString: sut.testApp.database.url });
    await db.connect();
    realmA = await sut.newRealm();
    realmB = await sut.newRealm();
    agent = await sut.newStaff('agent');
    agentOfA = await sut.newStaff('agent', { realms: [realmA.id] });

    // Realm A: three reports against one offender (one case), one against another (a second
    // case), three support tickets: one answered in public, one with only an internal note.
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map(() => sut.newPlayer(realmA)));
    for (const reporter of [r1, r2, r3]) {
      await fileReport(reporter, 'offender-a');
    }
    await fileReport(r1, 'offender-b');
    oldestSupportTicketId = await openTicket(r1, 'Stuck in the wall');
    answeredTicketId = await openTicket(r2, 'Lost my sword');
    const notedTicketId = await openTicket(r3, 'Cannot log in');
    // Backdate the first one so it is the oldest waiting and the answered one so its first
    // response takes a known time (about 30 minutes) within the current day.
    await db.query(`UPDATE tickets SET created_at = now() - interval '3 hours' WHERE id = $1`, [
      oldestSupportTicketId,
    ]);
    await db.query(`UPDATE tickets SET created_at = now() - interval '30 minutes' WHERE id = $1`, [
      answeredTicketId,
    ]);
    await write(answeredTicketId, 'public');
    await write(answeredTicketId, 'public');
    await write(notedTicketId, 'internal');

    // Realm B: one support ticket and one report.
    const [b1, b2] = await Promise.all([sut.newPlayer(realmB), sut.newPlayer(realmB)]);
    await openTicket(b1, 'Realm B ticket');
    await fileReport(b2, b1.accountId);
  });

  afterAll(async () => {
    await db?.end();
    await sut?.close();
  });

  describe('GET /stats/backlog', () => {
    it('counts open items by kind and priority, every combination listed', async () => {
      const backlog = await get<Backlog>('/stats/backlog', agent);

      expect(backlog.cells).toHaveLength(8);
      const open = (kind: string) =>
        backlog.cells.filter((c) => c.kind === kind).reduce((n, c) => n + c.open, 0);
      expect(open('moderation')).toBe(3); // two cases in A, one in B
      expect(open('support')).toBe(4); // three in A, one in B
      expect(backlog.totals).toMatchObject({ open: 7, unassigned: 7 });
      // Support tickets without a public staff reply (a note is not one); cases have no such clock.
      expect(backlog.totals.awaitingFirstResponse).toBe(3);
      expect(backlog.totals.breaching).toBe(0);
      expect(new Date(backlog.generatedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('names the oldest waiting item of each kind and how long it has waited', async () => {
      const backlog = await get<Backlog>('/stats/backlog', agent);

      const support = backlog.oldestWaiting.find((item) => item.kind === 'support');
      expect(support).toMatchObject({
        ticketId: oldestSupportTicketId,
        realmId: realmA.id,
        subject: 'Stuck in the wall',
      });
      expect(support!.waitingSeconds).toBeGreaterThanOrEqual(3 * 3600 - 5);
      expect(support!.waitingSeconds).toBeLessThan(3 * 3600 + 120);
      expect(backlog.oldestWaiting.map((item) => item.kind).sort()).toEqual([
        'moderation',
        'support',
      ]);
    });

    it('counts items past their next SLA deadline as breaching', async () => {
      // A case (resolution clock only) and an unanswered support ticket (first-response clock),
      // both overdue; the answered ticket's first-response clock no longer counts.
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM tickets WHERE realm_id = $1 AND kind = 'moderation' LIMIT 1`,
        [realmA.id],
      );
      await db.query(
        `UPDATE tickets SET resolution_due_at = now() - interval '1 minute' WHERE id = $1`,
        [rows[0].id],
      );
      await db.query(
        `UPDATE tickets SET first_response_due_at = now() - interval '1 minute' WHERE id = ANY($1)`,
        [[oldestSupportTicketId, answeredTicketId]],
      );
      const backlog = await get<Backlog>('/stats/backlog', agentOfA);
      expect(backlog.totals.breaching).toBe(2);
      const breachingCases = backlog.cells
        .filter((cell) => cell.kind === 'moderation')
        .reduce((n, cell) => n + cell.breaching, 0);
      expect(breachingCases).toBe(1);
    });

    it('shows a staff member restricted to realms only theirs, whatever realmId asks', async () => {
      const own = await get<Backlog>('/stats/backlog', agentOfA);
      expect(own.totals.open).toBe(5);
      expect(own.oldestWaiting.every((item) => item.realmId === realmA.id)).toBe(true);

      const other = await get<Backlog>('/stats/backlog', agentOfA, { realmId: realmB.id });
      expect(other.totals).toEqual({
        open: 0,
        unassigned: 0,
        breaching: 0,
        awaitingFirstResponse: 0,
      });
      expect(other.oldestWaiting).toEqual([]);

      const filtered = await get<Backlog>('/stats/backlog', agent, { realmId: realmB.id });
      expect(filtered.totals.open).toBe(2);
    });

    it('leaves solved items out', async () => {
      const before = await get<Backlog>('/stats/backlog', agentOfA);
      const player = await sut.newPlayer(realmA);
      const ticketId = await openTicket(player, 'Solved soon');
      expect((await get<Backlog>('/stats/backlog', agentOfA)).totals.open).toBe(
        before.totals.open + 1,
      );
      await sut
        .http()
        .post(`/tickets/${ticketId}/status`)
        .set('Authorization', agent.auth)
        .send({ status: 'solved' })
        .expect(200);
      expect((await get<Backlog>('/stats/backlog', agentOfA)).totals.open).toBe(before.totals.open);
    });
  });

  describe('GET /stats/intake', () => {
    it('counts reports, support tickets and cases per hour, the current hour last', async () => {
      const intake = await get<Intake>('/stats/intake', agentOfA, { hours: 6 });

      expect(intake.hours).toBe(6);
      expect(intake.buckets).toHaveLength(6);
      const hours = intake.buckets.map((b) => new Date(b.hour).getTime());
      expect(hours.every((h, i) => i === 0 || h - hours[i - 1] === 3_600_000)).toBe(true);
      expect(hours.at(-1)).toBe(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      expect(intake.totals.reports).toBe(4);
      expect(intake.totals.cases).toBe(2);
      // The backdated ticket counts three hours back; the closed one still counts as opened.
      expect(intake.totals.supportTickets).toBeGreaterThanOrEqual(3);
      const threeHoursBack = intake.buckets.at(-4)!;
      expect(threeHoursBack.supportTickets).toBeGreaterThanOrEqual(1);
    });

    it('defaults to 24 hours and counts every realm for an unrestricted agent', async () => {
      const intake = await get<Intake>('/stats/intake', agent);
      expect(intake.buckets).toHaveLength(24);
      expect(intake.totals.reports).toBe(5);
    });
  });

  describe('GET /stats/response-times', () => {
    it('measures creation to the first public staff reply, not notes or later replies', async () => {
      const { rows } = await db.query<{ seconds: number }>(
        `SELECT extract(epoch FROM first_responded_at - created_at)::float8 AS seconds
           FROM tickets WHERE id = $1`,
        [answeredTicketId],
      );
      const expected = rows[0].seconds;
      expect(expected).toBeGreaterThan(1700);

      const times = await get<ResponseTimes>('/stats/response-times', agentOfA, {
        bucket: 'hour',
        periods: 6,
      });

      expect(times.bucket).toBe('hour');
      expect(times.buckets).toHaveLength(6);
      expect(times.overall.answered).toBe(1);
      expect(times.overall.p50Seconds).toBeCloseTo(expected, 0);
      expect(times.overall.p90Seconds).toBeCloseTo(expected, 0);
      const answeredIn = times.buckets.filter((b) => b.answered > 0);
      expect(answeredIn).toHaveLength(1);
      expect(answeredIn[0].p50Seconds).toBeCloseTo(expected, 0);
      expect(
        times.buckets.filter((b) => b.answered === 0).every((b) => b.p50Seconds === null),
      ).toBe(true);
    });

    it('buckets by UTC day by default and is realm-scoped', async () => {
      const times = await get<ResponseTimes>('/stats/response-times', agentOfA, {
        realmId: realmB.id,
      });
      expect(times.bucket).toBe('day');
      expect(times.buckets).toHaveLength(14);
      expect(times.overall).toEqual({
        tickets: 0,
        answered: 0,
        p50Seconds: null,
        p90Seconds: null,
      });

      const all = await get<ResponseTimes>('/stats/response-times', agent);
      expect(all.overall.tickets).toBeGreaterThanOrEqual(5);
      expect(all.overall.answered).toBe(1);
    });
  });

  it('refuses bad input with 400s naming the field', async () => {
    const cases: Array<[string, object, string]> = [
      ['/stats/intake', { hours: 0 }, 'hours'],
      ['/stats/intake', { hours: 169 }, 'hours'],
      ['/stats/intake', { hours: 'abc' }, 'hours'],
      ['/stats/intake', { hours: '1.5' }, 'hours'],
      ['/stats/response-times', { bucket: 'week' }, 'bucket'],
      ['/stats/response-times', { periods: -1 }, 'periods'],
      ['/stats/backlog', { realmId: 'Not A Realm!' }, 'realmId'],
      ['/stats/backlog', { realmId: ['a', 'b'] }, 'realmId'],
    ];
    for (const [path, query, field] of cases) {
      const response: Response = await sut
        .http()
        .get(path)
        .query(query)
        .set('Authorization', agent.auth);
      expect({ path, query, status: response.status }).toEqual({ path, query, status: 400 });
      expect(JSON.stringify(response.body)).toContain(field);
    }
  });

  it('is for staff only', async () => {
    const player = await sut.newPlayer(realmA);
    await sut.http().get('/stats/backlog').expect(401);
    await sut.http().get('/stats/backlog').set('Authorization', player.auth).expect(403);
  });
});

import { ChatPartitionsService, EvidenceService } from '@gmdesk/core';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface EvidenceBody {
  readonly status: 'pending' | 'captured';
  readonly dueAt?: string;
  readonly verified?: boolean;
  readonly location?: unknown;
  readonly lines?: { body: string; sender: string; recipient: string | null }[];
  readonly sha256?: string;
}

const evidenceOf = (response: Response): EvidenceBody => response.body as EvidenceBody;

describe('chat evidence on reports', () => {
  let sut: ApiTestContext;
  let db: DataSource;
  let realm: TestRealm;
  let server: TestGameServer;
  let reporter: TestPlayer;
  let moderator: TestStaff;
  let reportId: string;
  /** The incident: five minutes ago. */
  const incident = Date.now() - 5 * 60_000;
  const at = (offsetSeconds: number): string =>
    new Date(incident + offsetSeconds * 1000).toISOString();
  const location = { zone: 'Molten Core', x: 12, y: 40 };

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    db = sut.get(DataSource);
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    reporter = await sut.newPlayer(realm);
    moderator = await sut.newStaff('moderator');
    const me = reporter.accountId;
    const lines = [
      { channel: 'say', sender: 'gorgrim', body: 'too early: 11 min before', sentAt: at(-660) },
      { channel: 'say', sender: 'gorgrim', body: 'you are trash <b>noob</b>', sentAt: at(-120) },
      { channel: 'say', sender: me, body: 'please stop', sentAt: at(-90) },
      {
        channel: 'whisper',
        sender: 'gorgrim',
        recipient: me,
        body: 'i know where you farm',
        sentAt: at(-30),
      },
      {
        channel: 'whisper',
        sender: 'gorgrim',
        recipient: 'someone-else',
        body: 'private to a third player',
        sentAt: at(-20),
      },
      { channel: 'say', sender: 'bystander', body: 'lol', sentAt: at(-10) },
      { channel: 'guild', sender: 'gorgrim', body: 'reported again haha', sentAt: at(50) },
      { channel: 'say', sender: 'gorgrim', body: 'too late: 2 min after', sentAt: at(120) },
    ];
    await sut
      .http()
      .post('/chat/batches')
      .set('Authorization', server.auth)
      .send({ batchId: 'evidence', lines })
      .expect(200);
    const filed = await sut
      .http()
      .post('/reports')
      .set('Authorization', reporter.auth)
      .send({
        reportedPlayerId: 'gorgrim',
        category: 'harassment',
        description: 'Threatened me in whispers.',
        occurredAt: at(0),
        location,
      })
      .expect(201);
    reportId = (filed.body as { id: string }).id;
  });

  afterAll(() => sut.close());

  const evidence = (auth = moderator.auth) =>
    sut.http().get(`/reports/${reportId}/evidence`).set('Authorization', auth);

  it('is pending until the window has closed and its chat had time to arrive', async () => {
    const pending = evidenceOf(await evidence().expect(200));
    expect(pending.status).toBe('pending');
    // Due 60 s (window) + 30 s (delay) after the incident.
    expect(pending.dueAt).toBe(at(90));
    // A capture round whose clock is before that takes nothing.
    expect(await sut.get(EvidenceService).captureDue(new Date(incident + 60_000))).toBe(0);
    expect(evidenceOf(await evidence().expect(200)).status).toBe('pending');
  });

  it('copies both players’ lines and their whispers in the window, with the location, verified', async () => {
    const service = sut.get(EvidenceService);
    // Two workers at once: one captures, the other skips the locked report.
    const rounds = await Promise.all([service.captureDue(), service.captureDue()]);
    expect(rounds.reduce((sum, n) => sum + n, 0)).toBe(1);
    const captured = evidenceOf(await evidence().expect(200));
    expect(captured).toMatchObject({ status: 'captured', verified: true, location });
    expect(captured.lines?.map((line) => line.body)).toEqual([
      'you are trash <b>noob</b>',
      'please stop',
      'i know where you farm',
      'reported again haha',
    ]);
    expect(captured.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await service.captureDue()).toBe(0);
  });

  it('outlives chat retention', async () => {
    await sut.get(ChatPartitionsService).ensurePartitions();
    const round = await sut
      .get(ChatPartitionsService)
      .dropExpired(new Date(Date.now() + 40 * 86_400_000));
    expect(round.dropped.length).toBeGreaterThan(0);
    const [{ count }] = await db.query<{ count: string }[]>(
      `SELECT count(*) FROM chat_messages WHERE batch_id = 'evidence'`,
    );
    expect(Number(count)).toBe(0);
    const kept = evidenceOf(await evidence().expect(200));
    expect(kept).toMatchObject({ status: 'captured', verified: true });
    expect(kept.lines).toHaveLength(4);
  });

  it('shows an edited row as not verified', async () => {
    await db.query(
      `UPDATE report_evidence SET lines = jsonb_set(lines, '{0,body}', '"you are great"')
        WHERE report_id = $1`,
      [reportId],
    );
    const edited = evidenceOf(await evidence().expect(200));
    expect(edited.verified).toBe(false);
    expect(edited.lines?.[0]?.body).toBe('you are great');
  });

  it('is for staff of the realm only, and every look is audited', async () => {
    await evidence(reporter.auth).expect(403);
    const elsewhere = await sut.newRealm();
    const outsider = await sut.newStaff('moderator', { realms: [elsewhere.id] });
    await evidence(outsider.auth).expect(404);
    const audited: { count: string }[] = await db.query(
      `SELECT count(*) FROM audit_entries
        WHERE action = 'report.evidence_viewed' AND target_id = $1 AND actor_id = $2`,
      [reportId, moderator.id],
    );
    expect(Number(audited[0]?.count)).toBeGreaterThanOrEqual(5);
  });
});

import { ChatPartitionsService } from '@gmdesk/core';
import { GameServerClient } from '@gmdesk/sdk';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
} from '../support/api-context';

interface BatchAnswer {
  readonly batchId: string;
  readonly accepted: number;
  readonly rejected: { index: number; code: string }[];
  readonly replayed: boolean;
}

interface StoredLine {
  readonly realmId: string;
  readonly lineIndex: number;
  readonly channel: string;
  readonly sender: string;
  readonly recipient: string | null;
  readonly body: string;
  readonly partition: string;
}

const answerOf = (response: Response): BatchAnswer => response.body as BatchAnswer;
const errorOf = (response: Response): { code: string } =>
  (response.body as { error: { code: string } }).error;

/** A line said `secondsAgo` seconds ago. */
const line = (body: string, overrides: Record<string, unknown> = {}, secondsAgo = 5) => ({
  channel: 'say',
  sender: 'player-1',
  body,
  sentAt: new Date(Date.now() - secondsAgo * 1000).toISOString(),
  ...overrides,
});

describe('chat ingestion', () => {
  let sut: ApiTestContext;
  let db: DataSource;
  let realm: TestRealm;
  let server: TestGameServer;
  let player: TestPlayer;
  const clients: GameServerClient[] = [];
  let batchCounter = 0;
  const nextBatchId = (): string => `batch-${(batchCounter += 1)}`;

  beforeAll(async () => {
    // One batch in flight per connection, so the bound can be shown deterministically.
    sut = await ApiTestContext.start({ chat: { batchesInFlight: 1 } }, { gateway: true });
    db = sut.get(DataSource);
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    player = await sut.newPlayer(realm);
  });

  afterAll(async () => {
    for (const client of clients) {
      client.close();
    }
    await sut.close();
  });

  const post = (auth: string, body: unknown) =>
    sut
      .http()
      .post('/chat/batches')
      .set('Authorization', auth)
      .send(body as object);

  async function linesOf(batchId: string, serverId = server.id): Promise<StoredLine[]> {
    return db.query(
      `SELECT realm_id AS "realmId", line_index AS "lineIndex", channel,
              sender_account_id AS sender, recipient_account_id AS recipient, body,
              tableoid::regclass::text AS partition
         FROM chat_messages WHERE server_id = $1 AND batch_id = $2 ORDER BY line_index`,
      [serverId, batchId],
    );
  }

  async function gameClient(gameServer = server): Promise<GameServerClient> {
    const client = new GameServerClient({ baseUrl: sut.url, apiKey: gameServer.apiKey });
    clients.push(client);
    await client.connect({ timeoutMs: 10_000 });
    return client;
  }

  describe('over REST', () => {
    it('stores the good lines, answers the bad ones by index and reason, and keeps text as sent', async () => {
      const batchId = nextBatchId();
      const tricky = 'tab\there, new\nline, back\\slash, quote " and emoji 🎮 and RTL \u202e';
      const answer = answerOf(
        await post(server.auth, {
          batchId,
          lines: [
            line('hello world'),
            line('x'.repeat(1001)),
            line(tricky, { channel: 'guild' }),
            line('psst', { channel: 'whisper' }),
            line('to you', { channel: 'whisper', recipient: 'player-2' }),
            line('bad channel', { channel: 'Not A Channel' }),
            line('future', {}, -3600),
            line('ancient', {}, 4 * 86_400),
            line('lone \ud800 surrogate'),
            line('nul \u0000 byte'),
            'not an object',
            line('extra', { realmId: 'other' }),
            line('🎮'.repeat(1000)),
          ],
        }).expect(200),
      );
      expect(answer).toEqual({
        batchId,
        accepted: 4,
        rejected: [
          { index: 1, code: 'body_too_long' },
          { index: 3, code: 'recipient_required' },
          { index: 5, code: 'invalid_channel' },
          { index: 6, code: 'sent_at_out_of_range' },
          { index: 7, code: 'sent_at_out_of_range' },
          { index: 8, code: 'invalid_body' },
          { index: 9, code: 'invalid_body' },
          { index: 10, code: 'not_an_object' },
          { index: 11, code: 'unknown_field' },
        ],
        replayed: false,
      });
      const stored = await linesOf(batchId);
      expect(stored.map((row) => [row.lineIndex, row.channel, row.body])).toEqual([
        [0, 'say', 'hello world'],
        [2, 'guild', tricky],
        [4, 'whisper', 'to you'],
        [12, 'say', '🎮'.repeat(1000)],
      ]);
      expect(stored.every((row) => row.realmId === realm.id)).toBe(true);
      expect(stored[2].recipient).toBe('player-2');
    });

    it('stores a batch resent with its batchId once and answers it the same way', async () => {
      const batch = { batchId: nextBatchId(), lines: [line('one'), line('two'), line('')] };
      const first = await post(server.auth, batch).expect(200);
      const again = await post(server.auth, batch).expect(200);
      expect(answerOf(again)).toEqual({ ...answerOf(first), replayed: true });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await linesOf(batch.batchId)).toHaveLength(2);

      const reused = await post(server.auth, { ...batch, lines: [line('three')] }).expect(422);
      expect(errorOf(reused).code).toBe('chat_batch_id_reused');
      expect(await linesOf(batch.batchId)).toHaveLength(2);
    });

    it('stores concurrent resends of one batch once', async () => {
      const batch = { batchId: nextBatchId(), lines: [line('a'), line('b'), line('c')] };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => post(server.auth, batch).expect(200)),
      );
      expect(answers.filter((answer) => !answerOf(answer).replayed)).toHaveLength(1);
      expect(await linesOf(batch.batchId)).toHaveLength(3);
    });

    it('keeps the chat of each server and realm apart: a batch id is per server', async () => {
      const otherRealm = await sut.newRealm();
      const otherServer = await sut.newGameServer(otherRealm);
      const batchId = nextBatchId();
      await post(server.auth, { batchId, lines: [line('mine')] }).expect(200);
      const theirs = answerOf(
        await post(otherServer.auth, { batchId, lines: [line('theirs')] }).expect(200),
      );
      expect(theirs.replayed).toBe(false);
      expect((await linesOf(batchId, otherServer.id)).map((row) => row.realmId)).toEqual([
        otherRealm.id,
      ]);
      // A server names no realm: one in the body is refused, not used.
      const named = await post(server.auth, {
        batchId: nextBatchId(),
        realmId: otherRealm.id,
        lines: [line('sneaky')],
      }).expect(400);
      expect(errorOf(named).code).toBe('validation_failed');
    });

    it('refuses what is not a batch with a clear error and stores nothing', async () => {
      const tooMany = await post(server.auth, {
        batchId: nextBatchId(),
        lines: Array.from({ length: 5001 }, (_, index) => line(`l${index}`)),
      }).expect(400);
      expect(errorOf(tooMany).code).toBe('validation_failed');
      const huge = await post(server.auth, {
        batchId: nextBatchId(),
        lines: Array.from({ length: 3000 }, () => line('y'.repeat(800))),
      }).expect(413);
      expect(errorOf(huge).code).toBe('payload_too_large');
      await post(server.auth, { batchId: '', lines: [line('a')] }).expect(400);
      await post(server.auth, { batchId: 'has space', lines: [line('a')] }).expect(400);
      await post(server.auth, { batchId: nextBatchId(), lines: [] }).expect(400);
      await post(server.auth, { batchId: nextBatchId(), lines: 'nope' }).expect(400);
      // Other routes keep their 64 KiB limit.
      await sut
        .http()
        .post('/reports')
        .set('Authorization', player.auth)
        .send({ description: 'z'.repeat(70_000) })
        .expect(413);
    });

    it('takes chat from game servers only', async () => {
      const batch = { batchId: nextBatchId(), lines: [line('hi')] };
      await post(player.auth, batch).expect(403);
      const agent = await sut.newStaff('admin');
      await post(agent.auth, batch).expect(403);
      await sut.http().post('/chat/batches').send(batch).expect(401);
    });
  });

  describe('over the /game socket', () => {
    it('acknowledges a batch after its lines are committed, and a resend stores nothing', async () => {
      const client = await gameClient();
      const batch = {
        batchId: nextBatchId(),
        lines: [line('gg'), line('wp', { channel: 'party' })],
      };
      const ack = await client.sendChatBatch(batch);
      expect(ack).toMatchObject({ ok: true, accepted: 2, rejected: [], replayed: false });
      // Acknowledged means committed: readable by anyone at once.
      expect(await linesOf(batch.batchId)).toHaveLength(2);
      expect(await client.sendChatBatch(batch)).toMatchObject({ ok: true, replayed: true });
      expect(await linesOf(batch.batchId)).toHaveLength(2);
    });

    it('refuses a batch past the in-flight bound with retryAfterMs, and stores the held one', async () => {
      const client = await gameClient();
      const held = { batchId: nextBatchId(), lines: [line('held')] };
      // Hold the first batch in its transaction: its claim waits for this lock.
      const blocker = db.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      await blocker.query(`LOCK TABLE chat_batches IN EXCLUSIVE MODE`);
      try {
        const first = client.sendChatBatch(held, { timeoutMs: 20_000 });
        await waitForLockWaiter(db);
        const second = await client.sendChatBatch({
          batchId: nextBatchId(),
          lines: [line('too soon')],
        });
        expect(second).toMatchObject({
          ok: false,
          error: { code: 'chat_batches_in_flight', details: { retryAfterMs: 1000 } },
        });
        await blocker.commitTransaction();
        expect(await first).toMatchObject({ ok: true, accepted: 1 });
      } finally {
        if (blocker.isTransactionActive) {
          await blocker.rollbackTransaction();
        }
        await blocker.release();
      }
      expect(await linesOf(held.batchId)).toHaveLength(1);
    });

    it('answers a bad batch in its ack, as REST does', async () => {
      const client = await gameClient();
      expect(await client.sendChatBatch({ batchId: 'bad id', lines: [line('a')] })).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    });
  });

  describe('day partitions', () => {
    it('routes lines by the UTC day they were sent on, across midnight and into a day without a partition', async () => {
      const partitions = sut.get(ChatPartitionsService);
      // Before maintenance ran: every line lands in the default partition, none is refused.
      const early = nextBatchId();
      const midnight = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
      const justBefore = new Date(midnight.getTime() - 1).toISOString();
      const justAfter = midnight.toISOString();
      const now = new Date().toISOString();
      const batchLines = [
        line('before midnight', { sentAt: justBefore }),
        line('at midnight', { sentAt: justAfter }),
        line('now', { sentAt: now }),
      ];
      expect(
        answerOf(await post(server.auth, { batchId: early, lines: batchLines }).expect(200)),
      ).toMatchObject({ accepted: 3 });
      expect((await linesOf(early)).map((row) => row.partition)).toEqual(
        Array(3).fill('chat_messages_default'),
      );

      // Maintenance creates the days and moves what the default partition held into them.
      const round = await partitions.ensurePartitions();
      const day = (iso: string): string => `chat_messages_p${iso.slice(0, 10).replaceAll('-', '')}`;
      expect(round.created).toEqual(expect.arrayContaining([day(justBefore), day(justAfter)]));
      expect(round.movedLines).toBeGreaterThanOrEqual(3);
      expect((await linesOf(early)).map((row) => [row.body, row.partition])).toEqual([
        ['before midnight', day(justBefore)],
        ['at midnight', day(justAfter)],
        ['now', day(now)],
      ]);
      const [{ count }] = await db.query<{ count: string }[]>(
        `SELECT count(*) FROM chat_messages_default`,
      );
      expect(Number(count)).toBe(0);

      // New lines go straight to their day; a second round has nothing to do.
      const later = nextBatchId();
      await post(server.auth, { batchId: later, lines: [line('after', { sentAt: justAfter })] });
      expect((await linesOf(later))[0].partition).toBe(day(justAfter));
      expect(await partitions.ensurePartitions()).toEqual({ created: [], movedLines: 0 });
    });

    it('drops whole days past the retention, keeps the days inside it, and forgets old batch answers', async () => {
      const partitions = sut.get(ChatPartitionsService);
      await partitions.ensurePartitions();
      const batchId = nextBatchId();
      await post(server.auth, { batchId, lines: [line('recent')] }).expect(200);
      const days = async (): Promise<string[]> =>
        (
          await db.query<{ name: string }[]>(
            `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'chat_messages'::regclass AND c.relname <> 'chat_messages_default'
              ORDER BY 1`,
          )
        ).map((row) => row.name);
      const before = await days();

      // Today: nothing is 30 days old yet.
      expect(await partitions.dropExpired()).toMatchObject({ dropped: [] });
      expect(await days()).toEqual(before);

      // Thirty-one days on (the clock driven, not waited for), every day up to 30 days back goes.
      const later = new Date(Date.now() + 31 * 86_400_000);
      const round = await partitions.dropExpired(later);
      const cutoff = later.getTime() - 30 * 86_400_000;
      const expected = before.filter((name) => {
        const day = Date.parse(
          `${name.slice(15, 19)}-${name.slice(19, 21)}-${name.slice(21, 23)}T00:00:00Z`,
        );
        return day + 86_400_000 <= cutoff;
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(round.dropped).toEqual(expected);
      expect(await days()).toEqual(before.filter((name) => !expected.includes(name)));
      expect(await linesOf(batchId)).toEqual([]);
      expect(round.forgottenBatches).toBeGreaterThan(0);
      // The batch's answer is gone too: the same id is a new batch now.
      expect(
        answerOf(await post(server.auth, { batchId, lines: [line('recent')] }).expect(200)),
      ).toMatchObject({ replayed: false, accepted: 1 });
    });
  });
});

/** Resolves once a backend waits for the chat_batches lock (the held batch), polling pg_locks. */
async function waitForLockWaiter(db: DataSource): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    // pg_locks covers the whole cluster: only a wait on this database's chat_batches counts.
    const rows: unknown[] = await db.query(
      `SELECT 1 FROM pg_locks
        WHERE NOT granted AND relation = 'chat_batches'::regclass
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        LIMIT 1`,
    );
    if (rows.length > 0) {
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('no backend waited for the chat_batches lock within 10 s');
}

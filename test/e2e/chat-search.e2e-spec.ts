import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestGameServer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface ChatLineBody {
  readonly id: string;
  readonly channel: string;
  readonly sender: string;
  readonly recipient?: string;
  readonly body: string;
  readonly sentAt: string;
}

interface ChatPage {
  readonly items: ChatLineBody[];
  readonly nextCursor: string | null;
}

const pageOf = (response: Response): ChatPage => response.body as ChatPage;
const bodies = (page: ChatPage): string[] => page.items.map((item) => item.body);
const errorOf = (response: Response): { code: string } =>
  (response.body as { error: { code: string } }).error;

describe('chat search for staff', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let otherRealm: TestRealm;
  let server: TestGameServer;
  let agent: TestStaff;
  /** One minute apart, oldest first, ending fifty minutes ago (fixed once, so queries match). */
  const base = Date.now();
  const at = (minute: number): string => new Date(base - (60 - minute) * 60_000).toISOString();

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    otherRealm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    agent = await sut.newStaff('agent');
    const lines = [
      { channel: 'say', sender: 'alice', body: 'hello everyone', sentAt: at(1) },
      { channel: 'trade', sender: 'bob', body: 'WTS gold 50% off', sentAt: at(2) },
      {
        channel: 'whisper',
        sender: 'bob',
        recipient: 'alice',
        body: 'psst, cheap GOLD',
        sentAt: at(3),
      },
      { channel: 'whisper', sender: 'alice', recipient: 'bob', body: 'no thanks', sentAt: at(4) },
      { channel: 'whisper', sender: 'carol', recipient: 'alice', body: 'hi alice', sentAt: at(5) },
      { channel: 'say', sender: 'dmitri', body: 'Продаю золото дёшево', sentAt: at(6) },
      { channel: 'say', sender: 'kenji', body: 'ゴールド売ります', sentAt: at(7) },
      { channel: 'say', sender: 'alice', body: 'see you', sentAt: at(8) },
      { channel: 'trade', sender: 'bob', body: 'WTS gold 5% off', sentAt: at(9) },
      { channel: 'say', sender: 'alice', body: 'under_score and back\\slash', sentAt: at(10) },
    ];
    await sut
      .http()
      .post('/chat/batches')
      .set('Authorization', server.auth)
      .send({ batchId: 'seed', lines })
      .expect(200);
    const otherServer = await sut.newGameServer(otherRealm);
    await sut
      .http()
      .post('/chat/batches')
      .set('Authorization', otherServer.auth)
      .send({
        batchId: 'seed',
        lines: [{ channel: 'say', sender: 'alice', body: 'hello from elsewhere', sentAt: at(1) }],
      })
      .expect(200);
  });

  afterAll(() => sut.close());

  const search = (query: Record<string, string | number>, auth = agent.auth) =>
    sut.http().get('/chat/messages').query(query).set('Authorization', auth);

  it('finds a player’s lines, sent and received, newest first, in their realm only', async () => {
    const page = pageOf(await search({ realmId: realm.id, player: 'alice' }).expect(200));
    expect(bodies(page)).toEqual([
      'under_score and back\\slash',
      'see you',
      'hi alice',
      'no thanks',
      'psst, cheap GOLD',
      'hello everyone',
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by channel and by text, case-insensitively and in any script, % and _ literally', async () => {
    expect(
      bodies(pageOf(await search({ realmId: realm.id, channel: 'trade' }).expect(200))),
    ).toEqual(['WTS gold 5% off', 'WTS gold 50% off']);
    expect(bodies(pageOf(await search({ realmId: realm.id, q: 'gold' }).expect(200)))).toEqual([
      'WTS gold 5% off',
      'psst, cheap GOLD',
      'WTS gold 50% off',
    ]);
    expect(bodies(pageOf(await search({ realmId: realm.id, q: 'ЗОЛОТО' }).expect(200)))).toEqual([
      'Продаю золото дёшево',
    ]);
    expect(bodies(pageOf(await search({ realmId: realm.id, q: 'ゴールド' }).expect(200)))).toEqual([
      'ゴールド売ります',
    ]);
    expect(bodies(pageOf(await search({ realmId: realm.id, q: '5% off' }).expect(200)))).toEqual([
      'WTS gold 5% off',
    ]);
    // As a wildcard `_` would match the space of "hello everyone".
    expect(
      bodies(pageOf(await search({ realmId: realm.id, q: 'hello_every' }).expect(200))),
    ).toEqual([]);
    expect(
      bodies(pageOf(await search({ realmId: realm.id, q: 'back\\slash' }).expect(200))),
    ).toEqual(['under_score and back\\slash']);
  });

  it('keeps to the time range', async () => {
    const page = pageOf(await search({ realmId: realm.id, from: at(2), to: at(4) }).expect(200));
    expect(bodies(page)).toEqual(['psst, cheap GOLD', 'WTS gold 50% off']);
    const refused = await search({ realmId: realm.id, from: at(4), to: at(2) }).expect(400);
    expect(errorOf(refused).code).toBe('validation_failed');
  });

  it('pages with a cursor: every line once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { realmId: realm.id, limit: 3 };
      if (cursor) {
        query.cursor = cursor;
      }
      const page = pageOf(await search(query).expect(200));
      seen.push(...bodies(page));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect(errorOf(await search({ realmId: realm.id, cursor: 'bm9wZQ' }).expect(400)).code).toBe(
      'validation_failed',
    );
  });

  it('shows the lines around one line in its channel, and a whisper only with the same two players', async () => {
    const [line] = pageOf(await search({ realmId: realm.id, q: 'no thanks' }).expect(200)).items;
    const context = await sut
      .http()
      .get('/chat/messages/context')
      .query({ realmId: realm.id, id: line.id, sentAt: line.sentAt })
      .set('Authorization', agent.auth)
      .expect(200);
    const { lines } = context.body as { lines: ChatLineBody[] };
    // carol → alice is another conversation: not part of it.
    expect(lines.map((item) => item.body)).toEqual(['psst, cheap GOLD', 'no thanks']);

    const [say] = pageOf(await search({ realmId: realm.id, q: 'see you' }).expect(200)).items;
    const around = await sut
      .http()
      .get('/chat/messages/context')
      .query({ realmId: realm.id, id: say.id, sentAt: say.sentAt, count: 1 })
      .set('Authorization', agent.auth)
      .expect(200);
    expect((around.body as { lines: ChatLineBody[] }).lines.map((item) => item.body)).toEqual([
      'ゴールド売ります',
      'see you',
      'under_score and back\\slash',
    ]);

    const missing = await sut
      .http()
      .get('/chat/messages/context')
      .query({ realmId: realm.id, id: '999999999', sentAt: say.sentAt })
      .set('Authorization', agent.auth)
      .expect(404);
    expect(errorOf(missing).code).toBe('chat_message_not_found');
  });

  it('shows the whispers between two players, both ways', async () => {
    const page = await sut
      .http()
      .get('/chat/conversation')
      .query({ realmId: realm.id, a: 'alice', b: 'bob' })
      .set('Authorization', agent.auth)
      .expect(200);
    expect(bodies(pageOf(page))).toEqual(['no thanks', 'psst, cheap GOLD']);
  });

  it('keeps staff to their realms and audits every read', async () => {
    const restricted = await sut.newStaff('agent', { realms: [otherRealm.id] });
    const refused = await search({ realmId: realm.id }, restricted.auth).expect(404);
    expect(errorOf(refused).code).toBe('realm_not_found');
    expect(
      bodies(pageOf(await search({ realmId: otherRealm.id }, restricted.auth).expect(200))),
    ).toEqual(['hello from elsewhere']);

    const db = sut.get(DataSource);
    const audited: { action: string; after: { text: string | null } }[] = await db.query(
      `SELECT action, after FROM audit_entries WHERE actor_id = $1 ORDER BY id`,
      [agent.id],
    );
    expect(audited.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['chat.search', 'chat.context', 'chat.conversation']),
    );
    expect(audited.some((entry) => entry.after.text === 'ЗОЛОТО')).toBe(true);
  });

  it('refuses what is not a search with a clear error', async () => {
    expect(errorOf(await search({ realmId: realm.id, q: 'ab' }).expect(400)).code).toBe(
      'validation_failed',
    );
    expect(
      errorOf(await search({ realmId: realm.id, channel: 'Bad Channel' }).expect(400)).code,
    ).toBe('validation_failed');
    expect(errorOf(await search({ realmId: realm.id, limit: 1000 }).expect(400)).code).toBe(
      'validation_failed',
    );
    await search({}).expect(400);
  });
});

import type { TicketReplyEvent } from '@gmdesk/contracts';
import { DeliveryService } from '@gmdesk/delivery';
import { GameServerClient, PlayerClient, StaffClient, type PositionStore } from '@gmdesk/sdk';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../../support/api-context';
import { memoryStore } from '../../support/position-store';

describe('live flows over the gateway (durable delivery)', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
  });

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.close();
    }
  });

  afterAll(() => sut.close());

  const playerClient = async (player: TestPlayer, store?: PositionStore): Promise<PlayerClient> => {
    const client = new PlayerClient({ baseUrl: sut.url, token: player.token, store });
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

  const openTicket = async (client: PlayerClient, subject = 'Stuck in a wall'): Promise<string> => {
    const ack = await client.openTicket({ category: 'stuck', subject, body: 'Please help' });
    if (!ack.ok) {
      throw new Error(`could not open a ticket: ${ack.error.code}`);
    }
    return ack.ticket.id;
  };

  const reply = (ticketId: string, body: string, visibility: 'public' | 'internal' = 'public') =>
    sut
      .http()
      .post(`/tickets/${ticketId}/messages`)
      .set('authorization', agent.auth)
      .send({ body, visibility })
      .expect(201);

  it('shows staff a ticket a player opens, and the player a GM reply and status change, live', async () => {
    const staff = await staffClient(agent);
    const player = await sut.newPlayer(realm);
    const client = await playerClient(player);

    const created = staff.waitFor('ticket.created', {
      match: (event) => event.subject === 'Lost my sword',
    });
    const ticketId = await openTicket(client, 'Lost my sword');
    expect(await created).toMatchObject({
      ticketId,
      realmId: realm.id,
      kind: 'support',
      status: 'new',
    });

    const received = client.waitFor('ticket.reply', {
      match: (event) => event.ticketId === ticketId,
    });
    const statusSeen = client.waitFor('ticket.status', {
      match: (event) => event.ticketId === ticketId,
    });
    await reply(ticketId, 'Found it in your bank.');
    expect(await received).toMatchObject({
      ticketId,
      body: 'Found it in your bank.',
      authorName: 'Test agent',
    });
    expect(await statusSeen).toEqual({ ticketId, status: 'open' });
  });

  it('shows staff a report the moment it is filed, with the case it opened', async () => {
    const staff = await staffClient(agent);
    const reporter = await playerClient(await sut.newPlayer(realm));
    const offender = `cheater-${Date.now()}`;
    const filed = staff.waitFor('report.filed', {
      match: (event) => event.reported.accountId === offender,
    });
    const caseOpened = staff.waitFor('ticket.created', {
      match: (event) => event.kind === 'moderation' && event.subject.includes(offender),
    });
    const ack = await reporter.fileReport({
      reportedPlayerId: offender,
      category: 'cheating',
      description: 'Flying over the castle walls',
      occurredAt: new Date().toISOString(),
    });
    expect(ack).toMatchObject({ ok: true, outcome: 'created' });
    const event = await filed;
    expect(event).toMatchObject({ realmId: realm.id, category: 'cheating' });
    expect((await caseOpened).ticketId).toBe(event.ticketId);
  });

  it('replays exactly the replies a player missed while offline, in order, then continues live', async () => {
    const player = await sut.newPlayer(realm);
    const store = memoryStore();
    const first = await playerClient(player, store);
    const ticketId = await openTicket(first);
    // The first reply also moves the ticket from new to open: two events, reply then status.
    const status = first.waitFor('ticket.status', {
      match: (event) => event.ticketId === ticketId,
    });
    await reply(ticketId, 'reply 0');
    await status;
    first.close();

    for (const body of ['reply 1', 'reply 2', 'reply 3']) {
      await reply(ticketId, body);
    }

    const replayed: { body: string; seq: number }[] = [];
    const second = new PlayerClient({ baseUrl: sut.url, token: player.token, store });
    clients.push(second);
    const allSeqs: number[] = [];
    second.on('ticket.reply', (event: TicketReplyEvent, meta) => {
      replayed.push({ body: event.body, seq: meta.seq });
      allSeqs.push(meta.seq);
    });
    second.on('ticket.status', (_event, meta) => void allSeqs.push(meta.seq));
    const outcome = await second.connect({ timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ resync: false });
    expect(replayed.map((event) => event.body)).toEqual(['reply 1', 'reply 2', 'reply 3']);
    // Whatever the first client had not finished processing comes again (at-least-once), but the
    // stream the second client saw has no gap and no duplicate: consecutive seqs.
    expect(allSeqs).toEqual(allSeqs.map((_seq, index) => (allSeqs[0] ?? 0) + index));
    expect(outcome).toMatchObject({ lastSeq: allSeqs.at(-1) });

    const live = second.waitFor('ticket.reply', { match: (event) => event.body === 'reply 4' });
    await reply(ticketId, 'reply 4');
    await live;
    expect(replayed.map((event) => event.body)).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
      'reply 4',
    ]);
  });

  it('tells a client to re-sync over REST when the history it needs was pruned, never a partial replay', async () => {
    const player = await sut.newPlayer(realm);
    const store = memoryStore();
    const first = await playerClient(player, store);
    const ticketId = await openTicket(first);
    first.close();
    await reply(ticketId, 'old news');
    await reply(ticketId, 'newer news');
    const db = sut.get(DataSource);
    await db.query(
      `UPDATE delivery_events SET created_at = now() - interval '30 days' WHERE stream = $1`,
      [`player:${realm.id}:${player.accountId}`],
    );
    await sut.get(DeliveryService).pruneOlderThan(new Date(Date.now() - 24 * 3600_000));

    const resyncs: string[] = [];
    const replies: string[] = [];
    const second = new PlayerClient({ baseUrl: sut.url, token: player.token, store });
    clients.push(second);
    second.onResync((reason) => void resyncs.push(reason));
    second.on('ticket.reply', (event: TicketReplyEvent) => void replies.push(event.body));
    expect(await second.connect({ timeoutMs: 10_000 })).toMatchObject({
      resync: true,
      reason: 'history_pruned',
    });
    expect(resyncs).toEqual(['history_pruned']);
    expect(replies).toEqual([]);
  });

  it('never sends an internal note to the player', async () => {
    const player = await sut.newPlayer(realm);
    const client = await playerClient(player);
    const ticketId = await openTicket(client);
    const replies: string[] = [];
    client.on('ticket.reply', (event: TicketReplyEvent) => void replies.push(event.body));
    const publicReply = client.waitFor('ticket.reply', {
      match: (event) => event.body === 'public answer',
    });
    await reply(ticketId, 'player seems to be lying', 'internal');
    await reply(ticketId, 'public answer');
    await publicReply;
    expect(replies).toEqual(['public answer']);
  });

  it('shows who is viewing a ticket and sends staff typing to the player', async () => {
    const player = await sut.newPlayer(realm);
    const client = await playerClient(player);
    const ticketId = await openTicket(client);
    const first = await staffClient(agent);
    const second = await staffClient(await sut.newStaff('moderator'));

    expect(await first.watchTicket(ticketId)).toMatchObject({ ok: true });
    const seenByFirst = first.waitFor('presence', { match: (event) => event.viewers.length === 2 });
    expect(await second.watchTicket(ticketId)).toMatchObject({ ok: true });
    expect((await seenByFirst).viewers.map((viewer) => viewer.displayName).sort()).toEqual([
      'Test agent',
      'Test moderator',
    ]);

    const typing = client.waitFor('staff.typing');
    expect(await second.typing(ticketId)).toMatchObject({ ok: true });
    expect(await typing).toEqual({ ticketId });

    const afterLeave = first.waitFor('presence', { match: (event) => event.viewers.length === 1 });
    second.close();
    expect((await afterLeave).viewers).toEqual([{ staffId: agent.id, displayName: 'Test agent' }]);
  });

  it('relays a reply to the game server the player is online on, as player.notify', async () => {
    const server = await sut.newGameServer(realm);
    const game = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey });
    clients.push(game);
    await game.connect({ timeoutMs: 10_000 });
    const player = await sut.newPlayer(realm);
    expect(await game.playerSession(player.accountId, 'login')).toMatchObject({ ok: true });

    const client = await playerClient(player);
    const ticketId = await openTicket(client);
    const relayed = game.waitFor('player.notify', {
      match: (event) => event.playerId === player.accountId && event.event === 'ticket.reply',
    });
    await reply(ticketId, 'relayed through your game server');
    expect(await relayed).toMatchObject({
      data: { ticketId, body: 'relayed through your game server' },
    });
  });

  describe('authorization', () => {
    it('gives staff restricted to one realm only that realm’s events', async () => {
      const other = await sut.newRealm();
      const restricted = await staffClient(await sut.newStaff('agent', { realms: [realm.id] }));
      const seen: string[] = [];
      restricted.on('report.filed', (event) => void seen.push(event.realmId));
      const everyone = await staffClient(agent);

      const outsider = await playerClient(await sut.newPlayer(other));
      const insider = await playerClient(await sut.newPlayer(realm));
      const report = {
        category: 'spam' as const,
        description: 'gold seller',
        occurredAt: new Date().toISOString(),
      };
      const outsideSeen = everyone.waitFor('report.filed', {
        match: (event) => event.realmId === other.id,
      });
      await outsider.fileReport({ ...report, reportedPlayerId: `spammer-${Date.now()}` });
      await outsideSeen;
      const insideSeen = restricted.waitFor('report.filed', {
        match: (event) => event.realmId === realm.id,
      });
      await insider.fileReport({ ...report, reportedPlayerId: `spammer-${Date.now()}-b` });
      await insideSeen;
      expect(seen).toEqual([realm.id]);
    });

    it('refuses to let staff watch a ticket outside their realms, or a player write in another player’s ticket', async () => {
      const other = await sut.newRealm();
      const owner = await playerClient(await sut.newPlayer(other));
      const ticketId = await openTicket(owner);
      const restricted = await staffClient(await sut.newStaff('agent', { realms: [realm.id] }));
      expect(await restricted.watchTicket(ticketId)).toMatchObject({
        ok: false,
        error: { code: 'ticket_not_found' },
      });
      const intruder = await playerClient(await sut.newPlayer(other));
      expect(await intruder.sendMessage(ticketId, 'let me in')).toMatchObject({
        ok: false,
        error: { code: 'ticket_not_found' },
      });
    });

    it('writes a player message sent twice with one idempotency key once', async () => {
      const author = await sut.newPlayer(realm);
      const player = await playerClient(author);
      const ticketId = await openTicket(player);
      const first = await player.sendMessage(ticketId, 'Still stuck.', { idempotencyKey: 'm-1' });
      const retry = await player.sendMessage(ticketId, 'Still stuck.', { idempotencyKey: 'm-1' });
      if (!first.ok || !retry.ok) {
        throw new Error('a send was refused');
      }
      expect(retry.message.id).toBe(first.message.id);
      const view = await sut
        .http()
        .get(`/tickets/${ticketId}`)
        .set('Authorization', author.auth)
        .expect(200);
      const bodies = (view.body as { messages: { body: string }[] }).messages.map((m) => m.body);
      expect(bodies.filter((body) => body === 'Still stuck.')).toHaveLength(1);
    });
  });

  describe('live revocation', () => {
    it('ends a game server session when its key is revoked', async () => {
      const server = await sut.newGameServer(realm);
      const game = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey });
      clients.push(game);
      await game.connect({ timeoutMs: 10_000 });
      const closed = new Promise((resolve) => game.onClosed(resolve));
      const admin = await sut.newStaff('admin');
      await sut
        .http()
        .post(`/game-servers/${server.id}/revoke`)
        .set('authorization', admin.auth)
        .expect(200);
      expect(await closed).toMatchObject({ code: 'revoked', retry: false });
    });

    it('ends a staff session when the account is disabled', async () => {
      const victim = await sut.newStaff('agent');
      const client = await staffClient(victim);
      const closed = new Promise((resolve) => client.onClosed(resolve));
      const admin = await sut.newStaff('admin');
      await sut
        .http()
        .patch(`/staff/${victim.id}`)
        .set('authorization', admin.auth)
        .send({ disabled: true })
        .expect(200);
      expect(await closed).toMatchObject({ code: 'account_disabled', retry: false });
    });
  });
});

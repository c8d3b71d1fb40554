import type { Response, Test } from 'supertest';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: unknown;
}

interface MessageBody {
  readonly id: string;
  readonly authorType: string;
  readonly authorStaffId?: string | null;
  readonly visibility: string;
  readonly body: string;
}

interface TicketBody {
  readonly id: string;
  readonly realmId: string;
  readonly kind: string;
  readonly status: string;
  readonly priority: string;
  readonly category: string;
  readonly subject: string;
  readonly requester: { readonly accountId: string } | null;
  readonly createdAt: string;
  readonly assigneeId?: string | null;
  readonly priorityOverridden?: boolean;
  readonly tags?: string[];
  readonly firstResponseDueAt?: string | null;
  readonly resolutionDueAt?: string | null;
  readonly firstRespondedAt?: string | null;
  readonly messages?: MessageBody[];
}

interface TicketPage {
  readonly items: TicketBody[];
  readonly nextCursor: string | null;
}

const errorOf = (response: Response): ErrorBody => (response.body as { error: ErrorBody }).error;
const ticketOf = (response: Response): TicketBody => response.body as TicketBody;
const pageOf = (response: Response): TicketPage => response.body as TicketPage;
const idsOf = (page: TicketPage): string[] => page.items.map((ticket) => ticket.id);
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

describe('tickets', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let otherRealm: TestRealm;
  let agent: TestStaff;
  let otherAgent: TestStaff;
  let playerA: TestPlayer;
  let playerB: TestPlayer;
  let server: TestGameServer;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    otherRealm = await sut.newRealm();
    agent = await sut.newStaff('agent');
    otherAgent = await sut.newStaff('agent');
    playerA = await sut.newPlayer(realm, { name: 'Alice' });
    playerB = await sut.newPlayer(realm, { name: 'Bob' });
    server = await sut.newGameServer(realm);
  });

  afterAll(() => sut.close());

  let counter = 0;
  async function openTicket(
    player: TestPlayer,
    overrides: Record<string, unknown> = {},
  ): Promise<TicketBody> {
    counter += 1;
    const response = await sut
      .http()
      .post('/tickets')
      .set('Authorization', player.auth)
      .send({ category: 'stuck', subject: `Ticket ${counter}`, body: 'Help me.', ...overrides })
      .expect(201);
    return ticketOf(response);
  }

  function getTicket(auth: string, id: string): Test {
    return sut.http().get(`/tickets/${id}`).set('Authorization', auth);
  }

  function postMessage(auth: string, id: string, body: Record<string, unknown>): Test {
    return sut.http().post(`/tickets/${id}/messages`).set('Authorization', auth).send(body);
  }

  function setStatus(auth: string, id: string, status: string): Test {
    return sut.http().post(`/tickets/${id}/status`).set('Authorization', auth).send({ status });
  }

  function assign(auth: string, id: string, assigneeId: string | null): Test {
    return sut.http().post(`/tickets/${id}/assign`).set('Authorization', auth).send({ assigneeId });
  }

  function patch(auth: string, id: string, body: Record<string, unknown>): Test {
    return sut.http().patch(`/tickets/${id}`).set('Authorization', auth).send(body);
  }

  function list(auth: string, query: Record<string, string | number>): Test {
    return sut.http().get('/tickets').query(query).set('Authorization', auth);
  }

  describe('a player with a support ticket', () => {
    it('opens a new support ticket that holds their first message', async () => {
      const created = await openTicket(playerA, {
        category: 'lost_item',
        subject: 'My sword vanished',
        body: 'It was in my bag yesterday.',
      });
      expect(created).toMatchObject({
        kind: 'support',
        status: 'new',
        realmId: realm.id,
        category: 'lost_item',
        subject: 'My sword vanished',
        requester: { accountId: playerA.accountId },
      });

      const detail = ticketOf(await getTicket(playerA.auth, created.id).expect(200));
      expect(detail.id).toBe(created.id);
      expect(detail.messages).toEqual([
        expect.objectContaining({
          authorType: 'player',
          visibility: 'public',
          body: 'It was in my bag yesterday.',
        }),
      ]);
    });

    it('gets the same ticket back when it replays a request with the same Idempotency-Key', async () => {
      const key = `open-${Date.now()}`;
      const body = { category: 'bug', subject: 'Quest will not complete', body: 'Step 3 hangs.' };
      const first = await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerA.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      const replay = await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerA.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);

      expect(ticketOf(replay).id).toBe(ticketOf(first).id);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const mine = pageOf(await list(playerA.auth, { limit: 100 }).expect(200));
      expect(mine.items.filter((t) => t.subject === 'Quest will not complete')).toHaveLength(1);
    });

    it('opens a second ticket when the same request is sent again without an Idempotency-Key', async () => {
      const body = { category: 'account', subject: 'Twice without a key', body: 'Same words.' };
      const first = await openTicket(playerA, body);
      const second = await openTicket(playerA, body);
      expect(second.id).not.toBe(first.id);
    });

    it('refuses an Idempotency-Key reused for a different request', async () => {
      const key = `reuse-${Date.now()}`;
      await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerA.auth)
        .set('Idempotency-Key', key)
        .send({ category: 'bug', subject: 'First', body: 'One.' })
        .expect(201);
      const reused = await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerA.auth)
        .set('Idempotency-Key', key)
        .send({ category: 'bug', subject: 'Second', body: 'Two.' })
        .expect(422);
      expect(errorOf(reused).code).toBe('idempotency_key_reused');
    });

    it('lists only their own tickets', async () => {
      const loner = await sut.newPlayer(realm);
      const other = await sut.newPlayer(realm);
      const own = [await openTicket(loner), await openTicket(loner)];
      const foreign = await openTicket(other);

      const page = pageOf(await list(loner.auth, { limit: 100 }).expect(200));
      expect(sorted(idsOf(page))).toEqual(sorted(own.map((t) => t.id)));
      expect(idsOf(page)).not.toContain(foreign.id);
      expect(page.items.every((t) => t.requester?.accountId === loner.accountId)).toBe(true);
    });

    it('sees an empty list before opening any ticket', async () => {
      const newcomer = await sut.newPlayer(realm);
      await openTicket(playerA);
      const page = pageOf(await list(newcomer.auth, {}).expect(200));
      expect(page).toEqual({ items: [], nextCursor: null });
    });

    it("gets not found for another player's ticket, for reading and for writing", async () => {
      const ticket = await openTicket(playerA, { body: 'Private matter.' });

      const read = await getTicket(playerB.auth, ticket.id).expect(404);
      expect(errorOf(read).code).toBe('ticket_not_found');
      const write = await postMessage(playerB.auth, ticket.id, { body: 'Let me in' }).expect(404);
      expect(errorOf(write).code).toBe('ticket_not_found');
      expect(pageOf(await list(playerB.auth, { limit: 100 }).expect(200)).items).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ id: ticket.id })]),
      );

      const seenByStaff = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(seenByStaff.messages?.map((m) => m.body)).toEqual(['Private matter.']);
    });

    it('gets not found for a ticket of a player with the same account id in another realm', async () => {
      const ticket = await openTicket(playerA);
      const twin = await sut.newPlayer(otherRealm, { accountId: playerA.accountId });
      expect(errorOf(await getTicket(twin.auth, ticket.id).expect(404)).code).toBe(
        'ticket_not_found',
      );
    });

    it('always writes public messages, even when asking for an internal one', async () => {
      const ticket = await openTicket(playerA);
      const written = await postMessage(playerA.auth, ticket.id, {
        body: 'Can staff hide this?',
        visibility: 'internal',
      }).expect(201);
      expect((written.body as MessageBody).visibility).toBe('public');
      const detail = ticketOf(await getTicket(playerA.auth, ticket.id).expect(200));
      expect(detail.messages?.map((m) => m.body)).toContain('Can staff hide this?');
    });
  });

  describe('the staff queue', () => {
    let queueRealm: TestRealm;
    let all: string[];
    let byStatus: Record<string, string[]>;
    let stuck: string[];
    let assignedToAgent: string[];
    let urgent: string[];
    let caseId: string;

    beforeAll(async () => {
      queueRealm = await sut.newRealm();
      const players = await Promise.all(Array.from({ length: 4 }, () => sut.newPlayer(queueRealm)));
      const tickets: TicketBody[] = [];
      for (let i = 0; i < 12; i += 1) {
        tickets.push(
          await openTicket(players[i % players.length], {
            category: i % 3 === 0 ? 'stuck' : 'billing',
          }),
        );
      }
      stuck = tickets.filter((t) => t.category === 'stuck').map((t) => t.id);
      const ids = tickets.map((t) => t.id);

      for (const id of ids.slice(0, 3)) {
        await setStatus(agent.auth, id, 'open').expect(200);
      }
      for (const id of ids.slice(3, 5)) {
        await setStatus(agent.auth, id, 'pending').expect(200);
      }
      byStatus = { new: ids.slice(5), open: ids.slice(0, 3), pending: ids.slice(3, 5) };

      assignedToAgent = [ids[1], ids[6]];
      for (const id of assignedToAgent) {
        await assign(agent.auth, id, agent.id).expect(200);
      }
      await assign(agent.auth, ids[7], otherAgent.id).expect(200);

      urgent = [ids[4], ids[9]];
      for (const id of urgent) {
        await patch(agent.auth, id, { priority: 'urgent' }).expect(200);
      }
      await patch(agent.auth, ids[10], { priority: 'low' }).expect(200);

      // One moderation case, from a player's report, so that kind filters have both kinds.
      const reporter = players[0];
      await sut
        .http()
        .post('/reports')
        .set('Authorization', reporter.auth)
        .send({
          reportedPlayerId: 'queue-offender',
          category: 'cheating',
          description: 'Flying over walls.',
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
        })
        .expect(201);
      const cases = pageOf(
        await list(agent.auth, { realmId: queueRealm.id, kind: 'moderation' }).expect(200),
      );
      expect(cases.items).toHaveLength(1);
      caseId = cases.items[0].id;
      all = [...ids, caseId];
    });

    async function filtered(query: Record<string, string | number>): Promise<string[]> {
      const page = pageOf(
        await list(agent.auth, { realmId: queueRealm.id, limit: 100, ...query }).expect(200),
      );
      expect(page.nextCursor).toBeNull();
      return sorted(idsOf(page));
    }

    it('filters by status, several at once when comma separated', async () => {
      expect(await filtered({ status: 'open' })).toEqual(sorted(byStatus.open));
      expect(await filtered({ status: 'open,pending' })).toEqual(
        sorted([...byStatus.open, ...byStatus.pending]),
      );
      expect(await filtered({ status: 'new' })).toEqual(sorted([...byStatus.new, caseId]));
      expect(await filtered({ status: 'solved,closed' })).toEqual([]);
    });

    it('filters by kind and category', async () => {
      expect(await filtered({ kind: 'moderation' })).toEqual([caseId]);
      expect(await filtered({ kind: 'support' })).toEqual(
        sorted(all.filter((id) => id !== caseId)),
      );
      expect(await filtered({ category: 'stuck' })).toEqual(sorted(stuck));
      expect(await filtered({ kind: 'support', category: 'stuck', status: 'new' })).toEqual(
        sorted(stuck.filter((id) => byStatus.new.includes(id))),
      );
    });

    it('filters by realm', async () => {
      expect(await filtered({})).toEqual(sorted(all));
      const elsewhere = pageOf(
        await list(agent.auth, { realmId: otherRealm.id, limit: 100 }).expect(200),
      );
      expect(elsewhere.items.every((t) => t.realmId === otherRealm.id)).toBe(true);
      expect(idsOf(elsewhere).some((id) => all.includes(id))).toBe(false);
    });

    it('filters by assignee, and by "none" for unassigned tickets', async () => {
      expect(await filtered({ assignee: agent.id })).toEqual(sorted(assignedToAgent));
      expect(await filtered({ assignee: otherAgent.id })).toHaveLength(1);
      const unassigned = await filtered({ assignee: 'none' });
      expect(unassigned).toHaveLength(all.length - assignedToAgent.length - 1);
      expect(unassigned.some((id) => assignedToAgent.includes(id))).toBe(false);
    });

    it('filters by priority', async () => {
      expect(await filtered({ priority: 'urgent' })).toEqual(sorted(urgent));
      expect(await filtered({ priority: 'low' })).toHaveLength(1);
    });

    it.each(['queue', 'newest'] as const)(
      'pages through every ticket exactly once in a stable order, sorted by %s',
      async (sort) => {
        const whole = pageOf(
          await list(agent.auth, { realmId: queueRealm.id, sort, limit: 100 }).expect(200),
        );
        expect(sorted(idsOf(whole))).toEqual(sorted(all));

        const seen: string[] = [];
        const pageSizes: number[] = [];
        let cursor: string | null = null;
        do {
          const query: Record<string, string | number> = { realmId: queueRealm.id, sort, limit: 5 };
          if (cursor !== null) {
            query.cursor = cursor;
          }
          const page = pageOf(await list(agent.auth, query).expect(200));
          seen.push(...idsOf(page));
          pageSizes.push(page.items.length);
          cursor = page.nextCursor;
        } while (cursor !== null && pageSizes.length <= all.length);

        expect(pageSizes).toEqual([5, 5, all.length - 10]);
        expect(seen).toEqual(idsOf(whole));

        const keys = whole.items.map((t) => ({
          rank: PRIORITY_RANK[t.priority],
          at: Date.parse(t.createdAt),
        }));
        for (let i = 1; i < keys.length; i += 1) {
          if (sort === 'queue') {
            expect(keys[i].rank).toBeGreaterThanOrEqual(keys[i - 1].rank);
            if (keys[i].rank === keys[i - 1].rank) {
              expect(keys[i].at).toBeGreaterThanOrEqual(keys[i - 1].at);
            }
          } else {
            expect(keys[i].at).toBeLessThanOrEqual(keys[i - 1].at);
          }
        }
      },
    );

    it('puts urgent tickets at the head of the queue', async () => {
      const head = pageOf(
        await list(agent.auth, { realmId: queueRealm.id, sort: 'queue', limit: 2 }).expect(200),
      );
      expect(sorted(idsOf(head))).toEqual(sorted(urgent));
    });

    const encode = (values: unknown): string =>
      Buffer.from(JSON.stringify(values)).toString('base64url');
    const someId = '00000000-0000-4000-8000-000000000000';

    it.each([
      ['queue', 'not base64 json', 'garbage!'],
      ['queue', 'json that is not a list', encode({ a: 1 })],
      ['queue', 'a list of the wrong shape', encode(['queue', 'x'])],
      [
        'queue',
        'a queue cursor with a date that is not a date',
        encode(['queue', 2, 'soon', someId]),
      ],
      [
        'queue',
        'a queue cursor with an unknown rank',
        encode(['queue', 70000, new Date().toISOString(), someId]),
      ],
      [
        'queue',
        'a queue cursor with an id that is not a uuid',
        encode(['queue', 2, new Date().toISOString(), 'x']),
      ],
      [
        'newest',
        'a newest cursor with a date that is not a date',
        encode(['newest', 'yesterday', someId]),
      ],
      [
        'newest',
        'a newest cursor with an id that is not a uuid',
        encode(['newest', new Date().toISOString(), 'nope']),
      ],
    ])(
      'refuses in %s order a cursor that is %s with validation_failed',
      async (sort, _what, cursor) => {
        const response = await list(agent.auth, { realmId: queueRealm.id, sort, cursor }).expect(
          400,
        );
        expect(errorOf(response).code).toBe('validation_failed');
      },
    );

    it('refuses a cursor issued for the other sort', async () => {
      const page = pageOf(
        await list(agent.auth, { realmId: queueRealm.id, sort: 'queue', limit: 1 }).expect(200),
      );
      expect(page.nextCursor).not.toBeNull();
      const response = await list(agent.auth, {
        realmId: queueRealm.id,
        sort: 'newest',
        cursor: page.nextCursor ?? '',
      }).expect(400);
      expect(errorOf(response).code).toBe('validation_failed');
    });
  });

  describe('the conversation', () => {
    it('shows a public staff reply to the player and moves a new ticket to open', async () => {
      const ticket = await openTicket(playerA);
      const reply = await postMessage(agent.auth, ticket.id, {
        body: 'We moved you to the inn.',
      }).expect(201);
      expect(reply.body).toMatchObject({ authorType: 'staff', visibility: 'public' });

      const seen = ticketOf(await getTicket(playerA.auth, ticket.id).expect(200));
      expect(seen.status).toBe('open');
      expect(seen.messages?.map((m) => m.body)).toEqual(['Help me.', 'We moved you to the inn.']);
      expect(seen.messages?.[1]).not.toHaveProperty('authorStaffId');

      const staffView = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(staffView.firstRespondedAt).not.toBeNull();
      expect(staffView.messages?.[1].authorStaffId).toBe(agent.id);
    });

    it('never shows an internal note to the player, while staff see it', async () => {
      const ticket = await openTicket(playerA);
      await postMessage(agent.auth, ticket.id, {
        body: 'Player has a history of this.',
        visibility: 'internal',
      }).expect(201);
      await postMessage(agent.auth, ticket.id, { body: 'Looking into it.' }).expect(201);

      const seen = ticketOf(await getTicket(playerA.auth, ticket.id).expect(200));
      expect(seen.messages?.map((m) => m.body)).toEqual(['Help me.', 'Looking into it.']);
      expect(JSON.stringify(seen)).not.toContain('history of this');
      expect(seen.messages?.every((m) => m.visibility === 'public')).toBe(true);

      const staffView = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(staffView.messages?.map((m) => [m.visibility, m.body])).toEqual([
        ['public', 'Help me.'],
        ['internal', 'Player has a history of this.'],
        ['public', 'Looking into it.'],
      ]);
    });

    it('does not count an internal note as a first response nor open the ticket', async () => {
      const ticket = await openTicket(playerA);
      await postMessage(agent.auth, ticket.id, { body: 'Note.', visibility: 'internal' }).expect(
        201,
      );
      const staffView = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(staffView.status).toBe('new');
      expect(staffView.firstRespondedAt).toBeNull();
    });

    it('moves a pending ticket back to open when the player writes back', async () => {
      const ticket = await openTicket(playerA);
      await setStatus(agent.auth, ticket.id, 'pending').expect(200);
      await postMessage(playerA.auth, ticket.id, { body: 'Here is the screenshot.' }).expect(201);
      expect(ticketOf(await getTicket(playerA.auth, ticket.id).expect(200)).status).toBe('open');
    });

    describe('with an Idempotency-Key', () => {
      const send = (auth: string, id: string, key: string, body: Record<string, unknown>): Test =>
        postMessage(auth, id, body).set('Idempotency-Key', key);
      const bodiesOf = async (id: string): Promise<string[]> =>
        ticketOf(await getTicket(agent.auth, id).expect(200)).messages?.map((m) => m.body) ?? [];

      it('writes a retried reply once and answers the retry with the same message', async () => {
        const ticket = await openTicket(playerA);
        const reply = { body: 'Restored your mount.' };
        const first = await send(agent.auth, ticket.id, 'reply-1', reply).expect(201);
        const retry = await send(agent.auth, ticket.id, 'reply-1', reply).expect(201);
        expect((retry.body as MessageBody).id).toBe((first.body as MessageBody).id);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(await bodiesOf(ticket.id)).toEqual(['Help me.', 'Restored your mount.']);
      });

      it('writes once when the same send races itself', async () => {
        const ticket = await openTicket(playerA);
        const note = { body: 'Checked the logs.', visibility: 'internal' };
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => send(agent.auth, ticket.id, 'race-1', note)),
        );
        expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
        expect(new Set(answers.map((answer) => (answer.body as MessageBody).id)).size).toBe(1);
        expect(await bodiesOf(ticket.id)).toEqual(['Help me.', 'Checked the logs.']);
      });

      it('refuses the key reused for another message, and keeps keys apart per ticket and author', async () => {
        const ticket = await openTicket(playerA);
        const other = await openTicket(playerA);
        await send(agent.auth, ticket.id, 'k', { body: 'One.' }).expect(201);
        const reused = await send(agent.auth, ticket.id, 'k', { body: 'Two.' }).expect(422);
        expect(errorOf(reused).code).toBe('idempotency_key_reused');
        // The same key on another ticket, or from another author, is another message.
        await send(agent.auth, other.id, 'k', { body: 'One.' }).expect(201);
        await send(playerA.auth, ticket.id, 'k', { body: 'One.' }).expect(201);
        expect(await bodiesOf(ticket.id)).toEqual(['Help me.', 'One.', 'One.']);
        expect(await bodiesOf(other.id)).toEqual(['Help me.', 'One.']);
      });

      it('does not replay a message to someone who may not see the ticket', async () => {
        const ticket = await openTicket(playerA);
        await send(playerA.auth, ticket.id, 'mine', { body: 'Any news?' }).expect(201);
        // Another player guessing the ticket and the key gets "not found", not the message.
        const foreign = await send(playerB.auth, ticket.id, 'mine', { body: 'Any news?' }).expect(
          404,
        );
        expect(errorOf(foreign).code).toBe('ticket_not_found');
      });
    });
  });

  describe('the status lifecycle', () => {
    it('reopens a solved ticket when the player writes back', async () => {
      const ticket = await openTicket(playerA);
      await setStatus(agent.auth, ticket.id, 'solved').expect(200);
      await postMessage(playerA.auth, ticket.id, { body: 'It happened again.' }).expect(201);
      expect(ticketOf(await getTicket(playerA.auth, ticket.id).expect(200)).status).toBe('open');
    });

    it('walks new → open → pending → solved → closed', async () => {
      const ticket = await openTicket(playerA);
      for (const status of ['open', 'pending', 'solved', 'closed']) {
        const moved = ticketOf(await setStatus(agent.auth, ticket.id, status).expect(200));
        expect(moved.status).toBe(status);
      }
      expect(ticketOf(await getTicket(playerA.auth, ticket.id).expect(200)).status).toBe('closed');
    });

    it('reopens a solved ticket', async () => {
      const ticket = await openTicket(playerA);
      await setStatus(agent.auth, ticket.id, 'solved').expect(200);
      const reopened = ticketOf(await setStatus(agent.auth, ticket.id, 'open').expect(200));
      expect(reopened.status).toBe('open');
    });

    it.each([
      [[], 'closed'],
      [['open'], 'new'],
      [['open', 'pending'], 'closed'],
      [['solved', 'closed'], 'open'],
      [['solved', 'closed'], 'solved'],
    ])(
      'refuses the move from the end of %j to %s with ticket_invalid_transition',
      async (path, to) => {
        const ticket = await openTicket(playerA);
        for (const status of path) {
          await setStatus(agent.auth, ticket.id, status).expect(200);
        }
        const from = path.at(-1) ?? 'new';
        const refused = await setStatus(agent.auth, ticket.id, to).expect(409);
        expect(errorOf(refused)).toMatchObject({
          code: 'ticket_invalid_transition',
          details: { from, to },
        });
        expect(ticketOf(await getTicket(agent.auth, ticket.id).expect(200)).status).toBe(from);
      },
    );

    it('refuses anyone writing in a closed ticket with ticket_closed', async () => {
      const ticket = await openTicket(playerA);
      for (const status of ['solved', 'closed']) {
        await setStatus(agent.auth, ticket.id, status).expect(200);
      }
      const byPlayer = await postMessage(playerA.auth, ticket.id, { body: 'Hello?' }).expect(409);
      expect(errorOf(byPlayer).code).toBe('ticket_closed');
      const byStaff = await postMessage(agent.auth, ticket.id, { body: 'Late.' }).expect(409);
      expect(errorOf(byStaff).code).toBe('ticket_closed');
      const detail = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(detail.messages).toHaveLength(1);
      expect(detail.status).toBe('closed');
    });
  });

  describe('assignment', () => {
    it('assigns a ticket to an agent and unassigns it with null', async () => {
      const ticket = await openTicket(playerA);
      const assigned = ticketOf(await assign(agent.auth, ticket.id, otherAgent.id).expect(200));
      expect(assigned.assigneeId).toBe(otherAgent.id);
      const unassigned = ticketOf(await assign(agent.auth, ticket.id, null).expect(200));
      expect(unassigned.assigneeId).toBeNull();
      expect(ticketOf(await getTicket(agent.auth, ticket.id).expect(200)).assigneeId).toBeNull();
    });

    it('refuses a disabled staff member, one without the realm, or an unknown id as assignee', async () => {
      const admin = await sut.newStaff('admin');
      const disabled = await sut.newStaff('agent');
      await sut
        .http()
        .patch(`/staff/${disabled.id}`)
        .set('Authorization', admin.auth)
        .send({ disabled: true })
        .expect(200);
      const elsewhere = await sut.newStaff('agent', { realms: [otherRealm.id] });
      const ticket = await openTicket(playerA);
      await assign(agent.auth, ticket.id, agent.id).expect(200);

      for (const assigneeId of [
        disabled.id,
        elsewhere.id,
        '00000000-0000-4000-8000-000000000000',
      ]) {
        const refused = await assign(agent.auth, ticket.id, assigneeId).expect(422);
        expect(errorOf(refused).code).toBe('assignee_not_found');
      }
      expect(ticketOf(await getTicket(agent.auth, ticket.id).expect(200)).assigneeId).toBe(
        agent.id,
      );
    });

    it('assigns to a staff member whose realms include the ticket realm', async () => {
      const local = await sut.newStaff('agent', { realms: [realm.id] });
      const ticket = await openTicket(playerA);
      expect(ticketOf(await assign(agent.auth, ticket.id, local.id).expect(200)).assigneeId).toBe(
        local.id,
      );
    });
  });

  describe('priority and tags', () => {
    it('overrides the priority and marks it as overridden', async () => {
      const ticket = await openTicket(playerA);
      const before = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(before.priorityOverridden).toBe(false);

      const updated = ticketOf(
        await patch(agent.auth, ticket.id, { priority: 'urgent' }).expect(200),
      );
      expect(updated).toMatchObject({ priority: 'urgent', priorityOverridden: true });
      const reread = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(reread).toMatchObject({ priority: 'urgent', priorityOverridden: true });
    });

    it('brings the SLA due times forward when the priority is raised', async () => {
      const ticket = await openTicket(playerA);
      const before = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      const after = ticketOf(
        await patch(agent.auth, ticket.id, { priority: 'urgent' }).expect(200),
      );
      expect(Date.parse(after.resolutionDueAt ?? '')).toBeLessThan(
        Date.parse(before.resolutionDueAt ?? ''),
      );
      expect(Date.parse(after.firstResponseDueAt ?? '')).toBeLessThan(
        Date.parse(before.firstResponseDueAt ?? ''),
      );
      expect(Date.parse(after.resolutionDueAt ?? '')).toBeGreaterThan(Date.parse(after.createdAt));
    });

    it('pins the priority when staff confirm the current one', async () => {
      const ticket = await openTicket(playerA);
      const current = ticketOf(await getTicket(agent.auth, ticket.id).expect(200)).priority;
      const confirmed = ticketOf(
        await patch(agent.auth, ticket.id, { priority: current }).expect(200),
      );
      expect(confirmed).toMatchObject({ priority: current, priorityOverridden: true });
    });

    it('sets tags without duplicates and clears them with an empty list', async () => {
      const ticket = await openTicket(playerA);
      const tagged = ticketOf(
        await patch(agent.auth, ticket.id, { tags: ['vip', 'billing-issue', 'vip'] }).expect(200),
      );
      expect(sorted(tagged.tags ?? [])).toEqual(['billing-issue', 'vip']);
      expect(tagged.tags).toHaveLength(2);
      const cleared = ticketOf(await patch(agent.auth, ticket.id, { tags: [] }).expect(200));
      expect(cleared.tags).toEqual([]);
    });

    it('does not show staff fields such as tags and assignee to the player', async () => {
      const ticket = await openTicket(playerA);
      await patch(agent.auth, ticket.id, { tags: ['secret-tag'] }).expect(200);
      const seen = ticketOf(await getTicket(playerA.auth, ticket.id).expect(200));
      expect(seen).not.toHaveProperty('tags');
      expect(seen).not.toHaveProperty('assigneeId');
      expect(JSON.stringify(seen)).not.toContain('secret-tag');
    });
  });

  describe('realm restriction', () => {
    it("hides realm Y's tickets from staff restricted to realm X", async () => {
      const restricted = await sut.newStaff('moderator', { realms: [otherRealm.id] });
      const ticket = await openTicket(playerA);
      const local = await openTicket(await sut.newPlayer(otherRealm));

      expect(errorOf(await getTicket(restricted.auth, ticket.id).expect(404)).code).toBe(
        'ticket_not_found',
      );
      const visible = pageOf(await list(restricted.auth, { limit: 100 }).expect(200));
      expect(idsOf(visible)).toContain(local.id);
      expect(idsOf(visible)).not.toContain(ticket.id);
      expect(visible.items.every((t) => t.realmId === otherRealm.id)).toBe(true);
      const asked = pageOf(await list(restricted.auth, { realmId: realm.id }).expect(200));
      expect(asked.items).toEqual([]);

      await postMessage(restricted.auth, ticket.id, { body: 'Hi' }).expect(404);
      await setStatus(restricted.auth, ticket.id, 'open').expect(404);
      await assign(restricted.auth, ticket.id, restricted.id).expect(404);
      await patch(restricted.auth, ticket.id, { priority: 'high' }).expect(404);

      const untouched = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(untouched).toMatchObject({
        status: 'new',
        assigneeId: null,
        priorityOverridden: false,
      });
      expect(untouched.messages).toHaveLength(1);
    });
  });

  describe('validation and roles', () => {
    const long = (n: number): string => 'x'.repeat(n);

    it.each([
      ['an empty body', {}, ['category', 'subject', 'body']],
      ['an unknown category', { category: 'refund', subject: 's', body: 'b' }, ['category']],
      ['a subject that is a number', { category: 'bug', subject: 42, body: 'b' }, ['subject']],
      ['a body that is a list', { category: 'bug', subject: 's', body: ['b'] }, ['body']],
      ['a blank body', { category: 'bug', subject: 's', body: '   ' }, ['body']],
      [
        'a body over 5,000 characters',
        { category: 'bug', subject: 's', body: long(5001) },
        ['body'],
      ],
      [
        'a subject over 200 characters',
        { category: 'bug', subject: long(201), body: 'b' },
        ['subject'],
      ],
      [
        'a bad language tag',
        { category: 'bug', subject: 's', body: 'b', language: 'English' },
        ['language'],
      ],
      [
        'an unknown field',
        { category: 'bug', subject: 's', body: 'b', priority: 'urgent' },
        ['priority'],
      ],
    ])('refuses to open a ticket with %s', async (_what, body, fields) => {
      const before = pageOf(await list(playerB.auth, { limit: 100 }).expect(200)).items.length;
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerB.auth)
        .send(body)
        .expect(400);
      const error = errorOf(response);
      expect(error.code).toBe('validation_failed');
      const reported = (error.details as { field: string }[]).map((d) => d.field);
      expect([...new Set(reported)].sort()).toEqual([...fields].sort());
      expect(pageOf(await list(playerB.auth, { limit: 100 }).expect(200)).items).toHaveLength(
        before,
      );
    });

    it('accepts a body of exactly 5,000 characters', async () => {
      const ticket = await openTicket(playerB, { body: long(5000) });
      const detail = ticketOf(await getTicket(playerB.auth, ticket.id).expect(200));
      expect(detail.messages?.[0].body).toHaveLength(5000);
    });

    it('refuses a request body over 64 KiB with payload_too_large', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerB.auth)
        .send({ category: 'bug', subject: 's', body: long(70_000) })
        .expect(413);
      expect(errorOf(response).code).toBe('payload_too_large');
    });

    it('refuses a body that is not JSON', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', playerB.auth)
        .set('Content-Type', 'application/json')
        .send('{"category": "bug",')
        .expect(400);
      expect(errorOf(response).code).toBe('malformed_json');
    });

    it.each([
      ['no body', {}, 'body'],
      ['a body over 5,000 characters', { body: long(5001) }, 'body'],
      ['a body that is a number', { body: 7 }, 'body'],
      ['an unknown visibility', { body: 'b', visibility: 'secret' }, 'visibility'],
      ['an unknown field', { body: 'b', attachments: [] }, 'attachments'],
    ])('refuses a message with %s', async (_what, body, field) => {
      const ticket = await openTicket(playerA);
      const response = await postMessage(agent.auth, ticket.id, body).expect(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
      const detail = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(detail.messages).toHaveLength(1);
    });

    it.each([
      ['POST', 'assign', { assigneeId: 'someone' }, 'assigneeId'],
      ['POST', 'assign', { assigneeId: 12 }, 'assigneeId'],
      ['POST', 'assign', {}, 'assigneeId'],
      ['POST', 'assign', { assigneeId: null, note: 'x' }, 'note'],
      ['POST', 'status', { status: 'archived' }, 'status'],
      ['POST', 'status', {}, 'status'],
      ['PATCH', '', { priority: 'critical' }, 'priority'],
      ['PATCH', '', { tags: 'vip' }, 'tags'],
      ['PATCH', '', { tags: ['VIP'] }, 'tags'],
      ['PATCH', '', { tags: Array.from({ length: 21 }, (_v, i) => `t${i}`) }, 'tags'],
      ['PATCH', '', { tags: [long(41)] }, 'tags'],
      ['PATCH', '', { status: 'open' }, 'status'],
    ])('refuses %s /tickets/:id/%s with %j', async (method, action, body, field) => {
      const ticket = await openTicket(playerA);
      const path = action ? `/tickets/${ticket.id}/${action}` : `/tickets/${ticket.id}`;
      const request = method === 'PATCH' ? sut.http().patch(path) : sut.http().post(path);
      const response = await request.set('Authorization', agent.auth).send(body).expect(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
      const after = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(after).toMatchObject({ status: 'new', assigneeId: null, tags: [] });
      expect(after.priorityOverridden).toBe(false);
    });

    it.each([
      [{ status: 'open,archived' }, 'status'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ sort: 'oldest' }, 'sort'],
      [{ assignee: 'nobody' }, 'assignee'],
      [{ kind: 'petition' }, 'kind'],
      [{ priority: 'meh' }, 'priority'],
      [{ realmId: 'Not A Realm' }, 'realmId'],
      [{ mine: 'true' }, 'mine'],
    ])('refuses a listing with %j', async (query, field) => {
      const response = await list(agent.auth, query).expect(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
    });

    it('refuses a ticket id that is not a uuid', async () => {
      const response = await getTicket(agent.auth, 'not-a-uuid').expect(400);
      expect(errorOf(response).code).toBe('validation_failed');
    });

    it('answers 404 for a ticket that does not exist', async () => {
      const response = await getTicket(agent.auth, '00000000-0000-4000-8000-000000000000').expect(
        404,
      );
      expect(errorOf(response).code).toBe('ticket_not_found');
    });

    it('refuses callers whose role may not use a route with 403', async () => {
      const ticket = await openTicket(playerA);
      const valid = { category: 'bug', subject: 's', body: 'b' };
      const calls: [string, () => Promise<Response>][] = [
        ['server lists', () => list(server.auth, {})],
        ['server reads', () => getTicket(server.auth, ticket.id)],
        [
          'server opens',
          () => sut.http().post('/tickets').set('Authorization', server.auth).send(valid),
        ],
        ['server writes', () => postMessage(server.auth, ticket.id, { body: 'b' })],
        [
          'staff opens',
          () => sut.http().post('/tickets').set('Authorization', agent.auth).send(valid),
        ],
        ['player sets status', () => setStatus(playerA.auth, ticket.id, 'solved')],
        ['player assigns', () => assign(playerA.auth, ticket.id, null)],
        ['player patches', () => patch(playerA.auth, ticket.id, { priority: 'urgent' })],
        ['player patches nonsense', () => patch(playerA.auth, ticket.id, { bogus: true })],
        ['server sets status', () => setStatus(server.auth, ticket.id, 'solved')],
      ];
      for (const [what, call] of calls) {
        const response = await call();
        expect([what, response.status, errorOf(response).code]).toEqual([what, 403, 'forbidden']);
      }
      const after = ticketOf(await getTicket(agent.auth, ticket.id).expect(200));
      expect(after).toMatchObject({ status: 'new', priority: 'normal', priorityOverridden: false });
      expect(after.messages).toHaveLength(1);
    });

    it('refuses anonymous callers with 401', async () => {
      const ticket = await openTicket(playerA);
      for (const response of [
        await sut.http().get('/tickets'),
        await sut.http().get(`/tickets/${ticket.id}`),
        await sut.http().post('/tickets').send({ category: 'bug', subject: 's', body: 'b' }),
        await sut.http().post(`/tickets/${ticket.id}/status`).send({ status: 'open' }),
      ]) {
        expect([response.status, errorOf(response).code]).toEqual([401, 'unauthenticated']);
      }
    });

    it('refuses an expired player token with token_expired', async () => {
      const expired = await sut.newPlayer(realm, {
        accountId: playerA.accountId,
        expiresInSeconds: -60,
      });
      const response = await list(expired.auth, {}).expect(401);
      expect(errorOf(response).code).toBe('token_expired');
    });

    it('refuses a player token signed with another realm secret', async () => {
      const forged = await sut.newPlayer(realm, {
        accountId: playerA.accountId,
        secret: otherRealm.secret,
      });
      const response = await list(forged.auth, {}).expect(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    });
  });
});

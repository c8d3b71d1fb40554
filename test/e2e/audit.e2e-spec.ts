import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
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

interface AuditEntry {
  readonly id: string;
  readonly actorType: string;
  readonly actorId: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly realmId: string | null;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly requestId: string | null;
  readonly at: string;
}

interface AuditPage {
  readonly items: AuditEntry[];
  readonly nextCursor: string | null;
}

const errorOf = (response: Response): ErrorBody => (response.body as { error: ErrorBody }).error;
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

describe('the audit log', () => {
  let sut: ApiTestContext;
  let admin: TestStaff;
  let agent: TestStaff;
  let moderator: TestStaff;
  let realm: TestRealm;
  let server: TestGameServer;
  let player: TestPlayer;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    admin = await sut.newStaff('admin');
    agent = await sut.newStaff('agent');
    moderator = await sut.newStaff('moderator');
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    player = await sut.newPlayer(realm);
  });

  afterAll(() => sut.close());

  async function audit(query: Record<string, string | number>): Promise<AuditPage> {
    const response = await sut
      .http()
      .get('/audit')
      .query({ limit: 100, ...query })
      .set('Authorization', admin.auth)
      .expect(200);
    return response.body as AuditPage;
  }

  async function entriesFor(targetId: string): Promise<AuditEntry[]> {
    const page = await audit({ targetId });
    expect(page.nextCursor).toBeNull();
    return page.items;
  }

  async function openTicket(): Promise<string> {
    const response = await sut
      .http()
      .post('/tickets')
      .set('Authorization', player.auth)
      .send({ category: 'stuck', subject: 'Stuck in a wall', body: 'Please help.' })
      .expect(201);
    return (response.body as { id: string }).id;
  }

  function staffCall(
    auth: string,
    method: 'post' | 'patch' | 'put',
    path: string,
    body: object = {},
  ): Test {
    return sut.http()[method](path).set('Authorization', auth).send(body);
  }

  describe('entries for staff actions', () => {
    it('records creating a staff account with actor and target, and never its password hash', async () => {
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const username = unique('gm.new');
      const created = await staffCall(admin.auth, 'post', '/staff', {
        username,
        displayName: 'New GM',
        role: 'agent',
        password,
      }).expect(201);
      const staffId = (created.body as { id: string }).id;

      const entries = await entriesFor(staffId);
      expect(entries).toEqual([
        expect.objectContaining({
          actorType: 'staff',
          actorId: admin.id,
          action: 'staff.create',
          targetType: 'staff',
          targetId: staffId,
          before: null,
          after: expect.objectContaining({ username, role: 'agent', disabled: false }) as unknown,
        }),
      ]);
      const text = JSON.stringify(entries);
      expect(text).not.toMatch(/argon2|passwordHash|password_hash/i);
      expect(text).not.toContain(password);
    });

    it('records a password change and a disable with before and after, without hashes', async () => {
      const target = await sut.newStaff('agent');
      const newPassword = `pw-${randomBytes(8).toString('hex')}`;
      await staffCall(admin.auth, 'patch', `/staff/${target.id}`, {
        password: newPassword,
      }).expect(200);
      await staffCall(admin.auth, 'patch', `/staff/${target.id}`, { disabled: true }).expect(200);

      const entries = await entriesFor(target.id);
      expect(entries.map((e) => e.action)).toEqual(['staff.update', 'staff.update_with_password']);
      const [disable] = entries;
      expect(disable).toMatchObject({
        actorId: admin.id,
        before: { disabled: false },
        after: { disabled: true },
      });
      const text = JSON.stringify(entries);
      expect(text).not.toMatch(/argon2|passwordHash|password_hash/i);
      expect(text).not.toContain(newPassword);
      expect(text).not.toContain(target.password);
    });

    it('records creating a realm without its player-token secret', async () => {
      const id = unique('audited');
      const created = await staffCall(admin.auth, 'post', '/realms', {
        id,
        name: 'Audited',
      }).expect(201);
      const secret = (created.body as { playerTokenSecret: string }).playerTokenSecret;
      const entries = await entriesFor(id);
      expect(entries).toEqual([
        expect.objectContaining({
          actorId: admin.id,
          action: 'realm.create',
          targetType: 'realm',
          realmId: id,
          after: { id, name: 'Audited' },
        }),
      ]);
      expect(JSON.stringify(entries)).not.toContain(secret);
    });

    it('records creating and revoking a key once each, never the key itself', async () => {
      const created = await staffCall(admin.auth, 'post', `/realms/${realm.id}/game-servers`, {
        name: 'audited-shard',
      }).expect(201);
      const { id, apiKey, keyId } = created.body as { id: string; apiKey: string; keyId: string };
      await staffCall(admin.auth, 'post', `/game-servers/${id}/revoke`).expect(200);
      await staffCall(admin.auth, 'post', `/game-servers/${id}/revoke`).expect(200);

      const entries = await entriesFor(id);
      expect(entries.map((e) => e.action)).toEqual(['game_server.revoke', 'game_server.create']);
      const [revoked, registered] = entries;
      expect(registered).toMatchObject({
        actorId: admin.id,
        targetType: 'game_server',
        realmId: realm.id,
        after: { name: 'audited-shard', keyId },
      });
      expect(revoked).toMatchObject({ actorId: admin.id, before: { revokedAt: null } });
      expect(revoked.after?.revokedAt).toEqual(expect.any(String));
      expect(JSON.stringify(entries)).not.toContain(apiKey.slice(apiKey.lastIndexOf('_') + 1));
    });

    it('records assignment, status change and priority override of a ticket with before and after', async () => {
      const ticketId = await openTicket();
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/assign`, {
        assigneeId: agent.id,
      }).expect(200);
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/status`, {
        status: 'pending',
      }).expect(200);
      await staffCall(agent.auth, 'patch', `/tickets/${ticketId}`, { priority: 'urgent' }).expect(
        200,
      );

      const entries = await entriesFor(ticketId);
      expect(entries.map((e) => e.action)).toEqual([
        'ticket.update',
        'ticket.status',
        'ticket.assign',
      ]);
      const [update, status, assign] = entries;
      for (const entry of entries) {
        expect(entry).toMatchObject({
          actorType: 'staff',
          actorId: agent.id,
          targetType: 'ticket',
          targetId: ticketId,
          realmId: realm.id,
        });
      }
      expect(assign).toMatchObject({
        before: { assigneeStaffId: null },
        after: { assigneeStaffId: agent.id },
      });
      expect(status).toMatchObject({ before: { status: 'new' }, after: { status: 'pending' } });
      expect(update).toMatchObject({
        before: { priority: 'normal', priorityOverridden: false },
        after: { priority: 'urgent', priorityOverridden: true },
      });
    });

    it('records a public reply and an internal note, pointing at the message', async () => {
      const ticketId = await openTicket();
      const reply = await staffCall(agent.auth, 'post', `/tickets/${ticketId}/messages`, {
        body: 'On it.',
      }).expect(201);
      const note = await staffCall(agent.auth, 'post', `/tickets/${ticketId}/messages`, {
        body: 'Suspicious.',
        visibility: 'internal',
      }).expect(201);

      const entries = await entriesFor(ticketId);
      expect(entries).toEqual([
        expect.objectContaining({
          actorId: agent.id,
          action: 'ticket.internal_note',
          after: { messageId: (note.body as { id: string }).id },
        }),
        expect.objectContaining({
          actorId: agent.id,
          action: 'ticket.reply',
          after: { messageId: (reply.body as { id: string }).id },
        }),
      ]);
    });

    it('records the X-Request-Id of the request that made each change, also under concurrency', async () => {
      const ticketId = await openTicket();
      const requestIds = Array.from(
        { length: 10 },
        (_, i) => `audit-correlation-${i}-${unique('r')}`,
      );

      await Promise.all(
        requestIds.map((requestId, i) =>
          staffCall(agent.auth, 'post', `/tickets/${ticketId}/messages`, { body: `Reply ${i}` })
            .set('X-Request-Id', requestId)
            .expect(201),
        ),
      );
      const unnamed = await staffCall(agent.auth, 'post', `/tickets/${ticketId}/messages`, {
        body: 'No id given',
      }).expect(201);

      const recorded = (await entriesFor(ticketId)).map((entry) => entry.requestId);
      expect(recorded).toHaveLength(11);
      expect(recorded).toEqual(
        expect.arrayContaining([...requestIds, unnamed.headers['x-request-id']]),
      );
    });

    it("records a report-ban with the player's state before and after", async () => {
      const accountId = unique('abuser');
      await sut
        .http()
        .put(`/realms/${realm.id}/players/${accountId}`)
        .set('Authorization', server.auth)
        .send({ displayName: 'Abuser' })
        .expect(200);
      const until = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
      await staffCall(
        moderator.auth,
        'put',
        `/realms/${realm.id}/players/${accountId}/report-ban`,
        {
          until,
          reason: 'False reports against one guild',
        },
      ).expect(200);

      const page = await audit({ actorId: moderator.id, targetType: 'player' });
      expect(page.items).toEqual([
        expect.objectContaining({
          action: 'player.report_ban',
          realmId: realm.id,
          before: { reportBannedUntil: null, reason: null },
          after: { reportBannedUntil: until, reason: 'False reports against one guild' },
        }),
      ]);
    });

    it('records nothing for an action that was refused', async () => {
      const ticketId = await openTicket();
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/status`, {
        status: 'closed',
      }).expect(409);
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/assign`, {
        assigneeId: '00000000-0000-4000-8000-000000000000',
      }).expect(422);
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/status`, {
        status: 'bogus',
      }).expect(400);
      expect(await entriesFor(ticketId)).toEqual([]);

      await staffCall(admin.auth, 'patch', `/staff/${admin.id}`, { disabled: true }).expect(403);
      expect(await entriesFor(admin.id)).toEqual([]);
    });

    it('records nothing for a change that changes nothing', async () => {
      const ticketId = await openTicket();
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/assign`, {
        assigneeId: null,
      }).expect(200);
      await staffCall(agent.auth, 'post', `/tickets/${ticketId}/status`, { status: 'new' }).expect(
        200,
      );
      expect(await entriesFor(ticketId)).toEqual([]);
    });
  });

  describe('reading the log', () => {
    it('is for admins only', async () => {
      for (const caller of [agent.auth, moderator.auth, player.auth, server.auth]) {
        const response = await sut.http().get('/audit').set('Authorization', caller).expect(403);
        expect(errorOf(response).code).toBe('forbidden');
      }
      await sut.http().get('/audit').expect(401);
    });

    it('pages newest first through every entry exactly once', async () => {
      const ticketId = await openTicket();
      for (const status of ['open', 'pending', 'open', 'solved', 'open', 'pending', 'solved']) {
        await staffCall(agent.auth, 'post', `/tickets/${ticketId}/status`, { status }).expect(200);
      }
      const whole = await audit({ targetId: ticketId });
      expect(whole.items).toHaveLength(7);
      expect(whole.items.map((e) => e.after?.status)).toEqual([
        'solved',
        'pending',
        'open',
        'solved',
        'open',
        'pending',
        'open',
      ]);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { targetId: ticketId, limit: 3 };
        if (cursor !== null) {
          query.cursor = cursor;
        }
        const page = await audit(query);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages <= 7);
      expect(pages).toBe(3);
      expect(seen).toEqual(whole.items.map((e) => e.id));
    });

    it.each([
      ['not base64 json', 'garbage!'],
      ['an id that is not a number', Buffer.from('["abc"]').toString('base64url')],
      ['an empty list', Buffer.from('[]').toString('base64url')],
      ['an id beyond bigint', Buffer.from('["99999999999999999999"]').toString('base64url')],
    ])('refuses a cursor that is %s with validation_failed', async (_what, cursor) => {
      const response = await sut
        .http()
        .get('/audit')
        .query({ cursor })
        .set('Authorization', admin.auth)
        .expect(400);
      expect(errorOf(response).code).toBe('validation_failed');
    });
  });

  describe('append-only storage', () => {
    let db: Client;

    beforeAll(async () => {
      db = new Client({ connectionString: sut.testApp.database.url });
      await db.connect();
    });

    afterAll(() => db.end());

    async function someEntry(): Promise<AuditEntry> {
      const id = unique('immutable');
      await staffCall(admin.auth, 'post', '/realms', { id, name: 'Immutable' }).expect(201);
      const [entry] = await entriesFor(id);
      return entry;
    }

    it('refuses an UPDATE of an entry', async () => {
      const entry = await someEntry();
      await expect(
        db.query(`UPDATE audit_entries SET action = 'nothing.happened' WHERE id = $1`, [entry.id]),
      ).rejects.toThrow(/append-only/);
      expect(await entriesFor(entry.targetId)).toEqual([entry]);
    });

    it('refuses a DELETE of an entry', async () => {
      const entry = await someEntry();
      await expect(db.query(`DELETE FROM audit_entries WHERE id = $1`, [entry.id])).rejects.toThrow(
        /append-only/,
      );
      expect(await entriesFor(entry.targetId)).toEqual([entry]);
    });

    it('refuses a TRUNCATE of the table', async () => {
      const entry = await someEntry();
      await expect(db.query(`TRUNCATE audit_entries`)).rejects.toThrow(/append-only/);
      expect(await entriesFor(entry.targetId)).toEqual([entry]);
    });
  });
});

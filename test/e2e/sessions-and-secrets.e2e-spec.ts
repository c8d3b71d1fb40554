import { AuthService, RevocationBus } from '@gmdesk/core';
import { connectSocket, emitAck, expectConnectError, waitForEvent } from '@gmdesk/testing';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Response, Test } from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiTestContext,
  signPlayerToken,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';
import { jsonFrom } from '../support/from-address';

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: unknown;
}

interface Closing {
  readonly code: string;
  readonly message: string;
  readonly retry: boolean;
}

interface RotatedBody {
  readonly realmId: string;
  readonly playerTokenSecret: string;
  readonly previousSecretValidUntil: string | null;
  readonly rotatedAt: string;
}

interface AuditBody {
  readonly items: {
    readonly actorType: string;
    readonly actorId: string;
    readonly action: string;
    readonly targetType: string;
    readonly targetId: string;
    readonly after: Record<string, unknown> | null;
  }[];
}

const errorOf = (response: Response): ErrorBody => (response.body as { error: ErrorBody }).error;
const bearer = (token: string): string => `Bearer ${token}`;
const DAY = 86_400;

/**
 * Issue 11 §6 and the login back-off of §5: ending staff sessions (password change, re-enabling,
 * logout), the player-token lifetime cap, and rotating a realm's player-token secret.
 */
describe('sessions and secrets', () => {
  let sut: ApiTestContext;
  let admin: TestStaff;
  let realm: TestRealm;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    admin = await sut.newStaff('admin');
    realm = await sut.newRealm();
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.close();
    }
  });

  afterAll(() => sut.close());

  const me = (auth: string): Test => sut.http().get('/auth/me').set('Authorization', auth);
  const updateStaff = (id: string, body: Record<string, unknown>): Test =>
    sut.http().patch(`/staff/${id}`).set('Authorization', admin.auth).send(body);
  const logout = (auth: string, body: Record<string, unknown> = {}): Test =>
    sut.http().post('/auth/logout').set('Authorization', auth).send(body);
  /** A route any player of the realm may call. */
  const asPlayer = (token: string): Test =>
    sut.http().get('/tickets').set('Authorization', bearer(token));
  const rotate = (auth: string, realmId: string, body: Record<string, unknown> = {}): Test =>
    sut
      .http()
      .post(`/realms/${realmId}/player-token-secret/rotate`)
      .set('Authorization', auth)
      .send(body);

  /** One more token for an account, as a second console tab or device would get. */
  async function loginAgain(staff: { username: string }, password: string): Promise<string> {
    return (await sut.get(AuthService).login(staff.username, password, { ip: 'test' })).accessToken;
  }

  async function connect(namespace: '/staff' | '/player', token: string): Promise<Socket> {
    const socket = await connectSocket(sut.url, namespace, { auth: { token } });
    sockets.push(socket);
    return socket;
  }

  const closingOf = (socket: Socket): Promise<Closing> =>
    waitForEvent<Closing>(socket, 'session.closing', { timeoutMs: 10_000 });

  /** A round trip on a socket: it is still connected and served. */
  async function stillServed(socket: Socket, namespace: '/staff' | '/player'): Promise<void> {
    const ack =
      namespace === '/staff'
        ? await emitAck(socket, 'queue.watch', {})
        : await emitAck(socket, 'resume', { lastSeq: 0 });
    expect(ack).toMatchObject({ ok: true });
    expect(socket.connected).toBe(true);
  }

  describe('staff sessions', () => {
    it('ends every older token on a password change, on REST and on live sockets, and a new login works at once', async () => {
      const victim = await sut.newStaff('agent');
      const otherTab = await loginAgain(victim, victim.password);
      const socket = await connect('/staff', victim.token);
      const closing = closingOf(socket);

      await updateStaff(victim.id, { password: 'a-brand-new-password' }).expect(200);

      expect(await closing).toMatchObject({ code: 'revoked', retry: false });
      for (const auth of [victim.auth, bearer(otherTab)]) {
        expect(errorOf(await me(auth).expect(401)).code).toBe('token_revoked');
      }
      const refused = await expectConnectError(sut.url, '/staff', {
        auth: { token: victim.token },
      });
      expect(refused.data).toMatchObject({ code: 'token_revoked', retry: false });
      // Issued in the same second as the change: still valid (a generation, not a timestamp).
      const fresh = await loginAgain(victim, 'a-brand-new-password');
      await me(bearer(fresh)).expect(200);
      await stillServed(await connect('/staff', fresh), '/staff');
    });

    it('does not bring old tokens back when a disabled account is enabled again', async () => {
      const victim = await sut.newStaff('agent');
      await updateStaff(victim.id, { disabled: true }).expect(200);
      expect(errorOf(await me(victim.auth).expect(401)).code).toBe('account_disabled');
      await updateStaff(victim.id, { disabled: false }).expect(200);

      expect(errorOf(await me(victim.auth).expect(401)).code).toBe('token_revoked');
      await me(bearer(await loginAgain(victim, victim.password))).expect(200);
    });

    it('closes sockets with credentials_changed and retry: true on a role or realm change, and the same token reconnects', async () => {
      const staff = await sut.newStaff('agent');
      const first = await connect('/staff', staff.token);
      const roleChanged = closingOf(first);
      await updateStaff(staff.id, { role: 'moderator' }).expect(200);
      expect(await roleChanged).toMatchObject({ code: 'credentials_changed', retry: true });
      expect((await me(staff.auth).expect(200)).body).toMatchObject({ role: 'moderator' });

      const second = await connect('/staff', staff.token);
      await stillServed(second, '/staff');
      const realmsChanged = closingOf(second);
      await updateStaff(staff.id, { realms: [realm.id] }).expect(200);
      expect(await realmsChanged).toMatchObject({ code: 'credentials_changed', retry: true });
      await stillServed(await connect('/staff', staff.token), '/staff');
    });

    it('ends only this token on POST /auth/logout; other sessions of the account keep working', async () => {
      const staff = await sut.newStaff('moderator');
      const otherTab = await loginAgain(staff, staff.password);
      const thisSocket = await connect('/staff', staff.token);
      const otherSocket = await connect('/staff', otherTab);
      const closing = closingOf(thisSocket);

      const response = await logout(staff.auth).expect(200);
      expect(response.body).toEqual({ ended: 'token' });

      expect(await closing).toMatchObject({ code: 'revoked', retry: false });
      expect(errorOf(await me(staff.auth).expect(401)).code).toBe('token_revoked');
      expect(errorOf(await logout(staff.auth).expect(401)).code).toBe('token_revoked');
      await me(bearer(otherTab)).expect(200);
      await stillServed(otherSocket, '/staff');

      const audit = await sut
        .http()
        .get(`/audit?actorId=${staff.id}`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect((audit.body as AuditBody).items).toEqual([
        expect.objectContaining({ action: 'staff.logout', targetId: staff.id }),
      ]);
    });

    it('ends every session of the account on logout with everywhere: true', async () => {
      const staff = await sut.newStaff('agent');
      const otherTab = await loginAgain(staff, staff.password);
      const otherSocket = await connect('/staff', otherTab);
      const closing = closingOf(otherSocket);

      const response = await logout(staff.auth, { everywhere: true }).expect(200);
      expect(response.body).toEqual({ ended: 'everywhere' });

      expect(await closing).toMatchObject({ code: 'revoked', retry: false });
      for (const auth of [staff.auth, bearer(otherTab)]) {
        expect(errorOf(await me(auth).expect(401)).code).toBe('token_revoked');
      }
      await me(bearer(await loginAgain(staff, staff.password))).expect(200);
    });

    it('refuses logout to players (403) and to callers without a token (401), and bad bodies (400)', async () => {
      const player = await sut.newPlayer(realm);
      expect(errorOf(await logout(player.auth).expect(403)).code).toBe('forbidden');
      expect(errorOf(await sut.http().post('/auth/logout').expect(401)).code).toBe(
        'unauthenticated',
      );
      const staff = await sut.newStaff('agent');
      for (const body of [{ everywhere: 'yes' }, { all: true }]) {
        expect(errorOf(await logout(staff.auth, body).expect(400)).code).toBe('validation_failed');
      }
      await me(staff.auth).expect(200);
    });
  });

  describe('player token lifetime (PLAYER_TOKEN_MAX_TTL_SECONDS, 24 h by default)', () => {
    async function playerToken(claims: { iat?: number; exp: number }): Promise<string> {
      const jwt = new SignJWT({ realm: realm.id })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(`p-${randomBytes(4).toString('hex')}`)
        .setExpirationTime(claims.exp);
      if (claims.iat !== undefined) {
        jwt.setIssuedAt(claims.iat);
      }
      return jwt.sign(new TextEncoder().encode(realm.secret));
    }
    const now = (): number => Math.floor(Date.now() / 1000);

    it('accepts a token of exactly the maximum lifetime', async () => {
      await asPlayer(await playerToken({ iat: now(), exp: now() + DAY })).expect(200);
    });

    it('refuses a token whose exp - iat exceeds the maximum, with token_lifetime_too_long', async () => {
      const token = await playerToken({ iat: now(), exp: now() + DAY + 1 });
      const response = await asPlayer(token).expect(401);
      expect(errorOf(response).code).toBe('token_lifetime_too_long');
      const refused = await expectConnectError(sut.url, '/player', { auth: { token } });
      expect(refused.data).toMatchObject({ code: 'token_lifetime_too_long', retry: false });
    });

    it('measures from now when the token has no iat', async () => {
      await asPlayer(await playerToken({ exp: now() + 3600 })).expect(200);
      const response = await asPlayer(await playerToken({ exp: now() + 30 * DAY })).expect(401);
      expect(errorOf(response).code).toBe('token_lifetime_too_long');
    });

    it('refuses a far-future token dressed up with a future iat', async () => {
      const later = now() + 365 * DAY;
      const response = await asPlayer(await playerToken({ iat: later, exp: later + 3600 })).expect(
        401,
      );
      expect(errorOf(response).code).toBe('token_lifetime_too_long');
    });
  });

  describe("rotating a realm's player-token secret", () => {
    const db = (): DataSource => sut.get(DataSource);

    it('keeps the old secret valid for the overlap, then stops it, and never shows the secret again', async () => {
      const rotating = await sut.newRealm();
      const oldToken = await signPlayerToken(rotating.secret, rotating.id, 'p-old');

      const response = await rotate(admin.auth, rotating.id, { overlapSeconds: 3600 }).expect(200);
      const rotated = response.body as RotatedBody;
      expect(rotated.realmId).toBe(rotating.id);
      expect(rotated.playerTokenSecret).not.toBe(rotating.secret);
      const validUntil = Date.parse(rotated.previousSecretValidUntil ?? '');
      expect(validUntil - Date.parse(rotated.rotatedAt)).toBe(3600_000);

      const newToken = await signPlayerToken(rotated.playerTokenSecret, rotating.id, 'p-new');
      await asPlayer(oldToken).expect(200);
      await asPlayer(newToken).expect(200);

      // The overlap is over (moved into the past rather than waited for). Verified tokens are
      // cached until the old secret's end, which moved behind the process's back: tell it, as a
      // clock reaching that end would.
      await db().query(
        `UPDATE realms SET previous_player_token_secret_valid_until = now() - interval '1 second' WHERE id = $1`,
        [rotating.id],
      );
      sut.get(RevocationBus).publish(`realm:${rotating.id}`);
      expect(errorOf(await asPlayer(oldToken).expect(401)).code).toBe('unauthenticated');
      await asPlayer(newToken).expect(200);

      const audit = await sut
        .http()
        .get(`/audit?targetType=realm&targetId=${rotating.id}`)
        .set('Authorization', admin.auth)
        .expect(200);
      const entries = (audit.body as AuditBody).items;
      expect(entries[0]).toMatchObject({
        action: 'realm.rotate_player_token_secret',
        actorId: admin.id,
        after: expect.objectContaining({ overlapSeconds: 3600 }) as unknown,
      });
      expect(JSON.stringify(audit.body)).not.toContain(rotated.playerTokenSecret);
      expect(JSON.stringify(audit.body)).not.toContain(rotating.secret);
    });

    it('defaults the overlap to the maximum player-token lifetime', async () => {
      const rotating = await sut.newRealm();
      const rotated = (await rotate(admin.auth, rotating.id).expect(200)).body as RotatedBody;
      expect(
        Date.parse(rotated.previousSecretValidUntil ?? '') - Date.parse(rotated.rotatedAt),
      ).toBe(DAY * 1000);
    });

    it('stops the old secret at once with overlapSeconds 0, and ends live sockets that use it', async () => {
      const rotating = await sut.newRealm();
      const oldToken = await signPlayerToken(rotating.secret, rotating.id, 'p-live');
      const socket = await connect('/player', oldToken);
      await stillServed(socket, '/player');
      const closing = closingOf(socket);

      const rotated = (await rotate(admin.auth, rotating.id, { overlapSeconds: 0 }).expect(200))
        .body as RotatedBody;
      expect(rotated.previousSecretValidUntil).toBeNull();

      expect(await closing).toMatchObject({ code: 'revoked', retry: false });
      expect(errorOf(await asPlayer(oldToken).expect(401)).code).toBe('unauthenticated');
      const newToken = await signPlayerToken(rotated.playerTokenSecret, rotating.id, 'p-live');
      await stillServed(await connect('/player', newToken), '/player');
    });

    it('ends a live socket on the old secret when the overlap ends, and keeps one on the new secret', async () => {
      const rotating = await sut.newRealm();
      const oldSocket = await connect(
        '/player',
        await signPlayerToken(rotating.secret, rotating.id, 'p-old-live'),
      );
      await stillServed(oldSocket, '/player');
      const closing = closingOf(oldSocket);

      const rotated = (await rotate(admin.auth, rotating.id, { overlapSeconds: 1 }).expect(200))
        .body as RotatedBody;
      const newSocket = await connect(
        '/player',
        await signPlayerToken(rotated.playerTokenSecret, rotating.id, 'p-new-live'),
      );

      expect(await closing).toMatchObject({ code: 'token_expired', retry: false });
      await stillServed(newSocket, '/player');
    });

    it('retires a secret still in its overlap when the realm is rotated again', async () => {
      const rotating = await sut.newRealm();
      const first = await signPlayerToken(rotating.secret, rotating.id, 'p-1');
      const second = (await rotate(admin.auth, rotating.id).expect(200)).body as RotatedBody;
      const secondToken = await signPlayerToken(second.playerTokenSecret, rotating.id, 'p-2');
      await rotate(admin.auth, rotating.id).expect(200);

      await asPlayer(first).expect(401);
      await asPlayer(secondToken).expect(200);
    });

    it('is for admins of that realm only: others get 404, moderators 403', async () => {
      const rotating = await sut.newRealm();
      const elsewhere = await sut.newStaff('admin', { realms: [realm.id] });
      const local = await sut.newStaff('admin', { realms: [rotating.id] });
      const moderator = await sut.newStaff('moderator');

      expect(errorOf(await rotate(elsewhere.auth, rotating.id).expect(404)).code).toBe(
        'realm_not_found',
      );
      expect(errorOf(await rotate(moderator.auth, rotating.id).expect(403)).code).toBe('forbidden');
      await rotate((await sut.newPlayer(rotating)).auth, rotating.id).expect(403);
      await asPlayer(await signPlayerToken(rotating.secret, rotating.id, 'p')).expect(200);

      await rotate(local.auth, rotating.id).expect(200);
      expect(errorOf(await rotate(admin.auth, 'no-such-realm').expect(404)).code).toBe(
        'realm_not_found',
      );
    });

    it.each([
      ['a negative overlap', { overlapSeconds: -1 }],
      ['a fractional overlap', { overlapSeconds: 1.5 }],
      ['an overlap over 30 days', { overlapSeconds: 31 * DAY }],
      ['a string overlap', { overlapSeconds: '60' }],
      ['an unknown field', { secret: 'mine' }],
    ])('refuses %s with validation_failed', async (_what, body) => {
      const response = await rotate(admin.auth, realm.id, body).expect(400);
      expect(errorOf(response).code).toBe('validation_failed');
      await asPlayer(await signPlayerToken(realm.secret, realm.id, 'p-still')).expect(200);
    });
  });

  describe('per-account login back-off', () => {
    // POST /auth/login also allows 10 attempts a minute per IP: this block makes 9.
    const login = (username: string, password: string): Test =>
      sut.http().post('/auth/login').send({ username, password });

    it('refuses even the right password with 429 and Retry-After after 5 failures, and audits failures and the lock with the IP', async () => {
      const staff = await sut.newStaff('agent');
      for (let i = 0; i < 5; i += 1) {
        expect(errorOf(await login(staff.username, 'wrong-password').expect(401)).code).toBe(
          'invalid_credentials',
        );
      }
      const refused = await login(staff.username, staff.password).expect(429);
      expect(errorOf(refused)).toMatchObject({
        code: 'too_many_failed_logins',
        details: { retryAfterSeconds: expect.any(Number) as unknown },
      });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(30);

      const audit = (
        await sut
          .http()
          .get(`/audit?targetType=staff&targetId=${staff.id}`)
          .set('Authorization', admin.auth)
          .expect(200)
      ).body as AuditBody;
      const actions = audit.items.map((entry) => entry.action);
      expect(actions.filter((action) => action === 'auth.login_failed')).toHaveLength(5);
      expect(actions.filter((action) => action === 'auth.login_locked')).toHaveLength(1);
      expect(audit.items.every((entry) => entry.actorType === 'anonymous')).toBe(true);
      expect(audit.items[0]?.actorId).toMatch(/127\.0\.0\.1/);
    });

    it('checks at most 5 of 40 concurrent guesses from 8 addresses, then refuses the right password too', async () => {
      const staff = await sut.newStaff('agent');
      // 5 attempts per address: within the per-IP login limit, so only the per-account rule acts.
      const addresses = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          jsonFrom(addresses[i % addresses.length], sut.url, 'POST', '/auth/login', {
            username: staff.username,
            password: `wrong-password-${i}`,
          }),
        ),
      );
      const codes = answers.map(
        (answer) => `${answer.status} ${(answer.body as { error: ErrorBody }).error.code}`,
      );

      expect(codes.filter((code) => code === '401 invalid_credentials')).toHaveLength(5);
      expect(codes.filter((code) => code === '429 too_many_failed_logins')).toHaveLength(35);
      const rightOne = await jsonFrom('127.0.0.10', sut.url, 'POST', '/auth/login', {
        username: staff.username,
        password: staff.password,
      });
      expect(rightOne.status).toBe(429);
      const audit = (
        await sut
          .http()
          .get(`/audit?targetType=staff&targetId=${staff.id}`)
          .set('Authorization', admin.auth)
          .expect(200)
      ).body as AuditBody;
      const failed = audit.items.filter((entry) => entry.action === 'auth.login_failed');
      expect(failed).toHaveLength(5);
      expect(new Set(audit.items.map((entry) => entry.actorId)).size).toBeGreaterThan(1);
    });

    it('forgets the failures after a successful login', async () => {
      const staff = await sut.newStaff('agent');
      await sut.get(DataSource).query(
        // Six earlier failures, and a wait that is over.
        `INSERT INTO login_failures (username_key, failures, last_failure_at, blocked_until)
         VALUES ($1, 6, now() - interval '1 minute', now() - interval '1 second')`,
        [staff.username.toLowerCase()],
      );
      await login(staff.username, staff.password).expect(200);
      await login(staff.username, 'wrong-password').expect(401);
      await login(staff.username, staff.password).expect(200);
    });
  });
});

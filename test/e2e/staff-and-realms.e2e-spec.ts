import { decodeJwt, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { ApiTestContext, signPlayerToken, type TestStaff } from '../support/api-context';

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: unknown;
}

interface StaffBody {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly realms: string[];
  readonly disabled: boolean;
}

interface SessionBody {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresAt: string;
  readonly staff: StaffBody;
}

interface RealmBody {
  readonly id: string;
  readonly name: string;
  readonly playerTokenSecret?: string;
}

interface GameServerBody {
  readonly id: string;
  readonly realmId: string;
  readonly name: string;
  readonly keyId: string;
  readonly revokedAt: string | null;
  readonly apiKey?: string;
}

const errorOf = (response: Response): ErrorBody => (response.body as { error: ErrorBody }).error;
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
const bearer = (token: string): string => `Bearer ${token}`;

describe('staff, realms, game servers and auth', () => {
  // A known staff-token secret, so the tests can forge expired and foreign tokens.
  const jwtSecret = randomBytes(32).toString('base64url');
  let sut: ApiTestContext;
  let admin: TestStaff;
  let agent: TestStaff;
  let moderator: TestStaff;

  beforeAll(async () => {
    sut = await ApiTestContext.start({ jwtSecret });
    admin = await sut.newStaff('admin');
    agent = await sut.newStaff('agent');
    moderator = await sut.newStaff('moderator');
  });

  afterAll(() => sut.close());

  // POST /auth/login allows 10 attempts a minute per client address; this file stays below that.
  function login(username: string, password: string): Test {
    return sut.http().post('/auth/login').send({ username, password });
  }

  function me(auth: string): Test {
    return sut.http().get('/auth/me').set('Authorization', auth);
  }

  function createStaff(auth: string, body: Record<string, unknown>): Test {
    return sut.http().post('/staff').set('Authorization', auth).send(body);
  }

  function updateStaff(auth: string, id: string, body: Record<string, unknown>): Test {
    return sut.http().patch(`/staff/${id}`).set('Authorization', auth).send(body);
  }

  function createRealm(auth: string, body: Record<string, unknown>): Test {
    return sut.http().post('/realms').set('Authorization', auth).send(body);
  }

  function createServer(auth: string, realmId: string, name = unique('shard')): Test {
    return sut
      .http()
      .post(`/realms/${realmId}/game-servers`)
      .set('Authorization', auth)
      .send({ name });
  }

  function revoke(auth: string, serverId: string): Test {
    return sut.http().post(`/game-servers/${serverId}/revoke`).set('Authorization', auth);
  }

  /** A call only an authenticated game server of `realmId` can make. */
  function registerPlayer(apiKey: string, realmId: string): Test {
    return sut
      .http()
      .put(`/realms/${realmId}/players/${unique('p')}`)
      .set('Authorization', `ApiKey ${apiKey}`)
      .send({});
  }

  describe('login', () => {
    it('returns a token that works on GET /auth/me for the right password', async () => {
      const response = await login(agent.username, agent.password).expect(200);
      const session = response.body as SessionBody;
      expect(session).toMatchObject({
        tokenType: 'Bearer',
        staff: { id: agent.id, username: agent.username, role: 'agent', disabled: false },
      });
      expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
      expect(JSON.stringify(session)).not.toMatch(/password|argon2/i);

      const whoami = await me(bearer(session.accessToken)).expect(200);
      expect(whoami.body).toMatchObject({ id: agent.id, username: agent.username, role: 'agent' });
    });

    it('logs in whatever the case of the username', async () => {
      const response = await login(moderator.username.toUpperCase(), moderator.password).expect(
        200,
      );
      expect((response.body as SessionBody).staff.id).toBe(moderator.id);
    });

    it('refuses a wrong password and an unknown user alike, with invalid_credentials', async () => {
      const wrongPassword = await login(agent.username, `${agent.password}-wrong`).expect(401);
      const unknownUser = await login(unique('nobody'), agent.password).expect(401);
      expect(errorOf(wrongPassword).code).toBe('invalid_credentials');
      expect(unknownUser.body).toEqual(wrongPassword.body);
      expect(JSON.stringify(wrongPassword.body)).not.toContain(agent.username);
    });
  });

  describe('tokens', () => {
    async function sign(claims: Record<string, unknown>, secret = jwtSecret): Promise<string> {
      const { exp, iat, sub, iss, aud, ...rest } = claims as {
        exp: number;
        iat: number;
        sub: string;
        iss: string;
        aud: string;
      };
      return new SignJWT(rest)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    }

    it('accepts a token re-signed unchanged with the server secret (the forging below is sound)', async () => {
      const claims = decodeJwt(admin.token);
      await me(bearer(await sign(claims))).expect(200);
    });

    it('refuses an expired staff token with token_expired', async () => {
      const claims = decodeJwt(admin.token);
      const past = Math.floor(Date.now() / 1000) - 3600;
      const expired = await sign({ ...claims, iat: past - 900, exp: past });
      const response = await me(bearer(expired)).expect(401);
      expect(errorOf(response).code).toBe('token_expired');
    });

    it('refuses a staff token signed with another secret', async () => {
      const claims = decodeJwt(admin.token);
      const foreign = await sign(claims, randomBytes(32).toString('base64url'));
      expect(errorOf(await me(bearer(foreign)).expect(401)).code).toBe('unauthenticated');
    });

    it('refuses a tampered staff token', async () => {
      const [header, payload, signature] = agent.token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const forgedPayload = Buffer.from(
        JSON.stringify({ ...claims, sub: admin.id, role: 'admin' }),
      ).toString('base64url');
      const tampered = [header, forgedPayload, signature].join('.');
      const response = await sut
        .http()
        .post('/realms')
        .set('Authorization', bearer(tampered))
        .send({ id: unique('tamper'), name: 'Tampered' })
        .expect(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    });

    it('refuses an unsigned staff token', async () => {
      const [, payload] = admin.token.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await me(bearer(`${header}.${payload}.`)).expect(401);
    });

    it.each([
      ['a garbage bearer token', 'Bearer not.a.jwt'],
      ['a bearer token that is not even dotted', 'Bearer garbage'],
      ['an unknown scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['a scheme without a credential', 'Bearer'],
      ['an api key in the bearer slot', 'Bearer gmd_0123456789abcdef_x'],
    ])('refuses %s with 401 unauthenticated', async (_what, header) => {
      const response = await me(header).expect(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    });

    it('refuses a request without credentials with 401', async () => {
      const response = await sut.http().get('/auth/me').expect(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    });
  });

  describe('staff accounts', () => {
    it('lets an admin create staff who can then log in, without ever showing a password', async () => {
      const username = unique('gm.alice');
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const created = await createStaff(admin.auth, {
        username,
        displayName: 'GM Alice',
        role: 'moderator',
        password,
        languages: ['en', 'de'],
      }).expect(201);
      const staff = created.body as StaffBody;
      expect(staff).toMatchObject({ username, role: 'moderator', realms: [], disabled: false });
      expect(JSON.stringify(created.body)).not.toMatch(/password|argon2/i);

      const listed = await sut.http().get('/staff').set('Authorization', admin.auth).expect(200);
      expect(listed.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: staff.id, username })]),
      );
      expect(JSON.stringify(listed.body)).not.toMatch(/password|argon2/i);
      const one = await sut.http().get(`/staff/${staff.id}`).set('Authorization', admin.auth);
      expect(one.status).toBe(200);
      expect(JSON.stringify(one.body)).not.toMatch(/password|argon2/i);

      const session = (await login(username, password).expect(200)).body as SessionBody;
      expect((await me(bearer(session.accessToken)).expect(200)).body).toMatchObject({
        id: staff.id,
        role: 'moderator',
      });
    });

    it('refuses a username that differs from an existing one only in case, with staff_conflict', async () => {
      const username = unique('gm.bob');
      const body = { displayName: 'GM Bob', role: 'agent', password: 'long-enough-password' };
      await createStaff(admin.auth, { ...body, username }).expect(201);
      const duplicate = await createStaff(admin.auth, {
        ...body,
        username: username.toUpperCase(),
      }).expect(409);
      expect(errorOf(duplicate).code).toBe('staff_conflict');
      const listed = (await sut.http().get('/staff').set('Authorization', admin.auth).expect(200))
        .body as StaffBody[];
      expect(
        listed.filter((s) => s.username.toLowerCase() === username.toLowerCase()),
      ).toHaveLength(1);
    });

    it('never writes a password hash to the console when a username is taken', async () => {
      const username = unique('gm.carol');
      const body = { displayName: 'GM Carol', role: 'agent', password: 'long-enough-password' };
      await createStaff(admin.auth, { ...body, username }).expect(201);

      const written: string[] = [];
      const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
      const spies = methods.map((method) =>
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          written.push(args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' '));
        }),
      );
      try {
        await createStaff(admin.auth, { ...body, username }).expect(409);
      } finally {
        spies.forEach((spy) => spy.mockRestore());
      }
      expect(written.join('\n')).not.toMatch(/argon2/i);
    });

    it.each([
      ['a short password', { password: 'short' }, 'password'],
      ['an unknown role', { role: 'owner' }, 'role'],
      ['a username with spaces', { username: 'gm alice' }, 'username'],
      ['a realm that is not a realm id', { realms: ['Not Valid'] }, 'realms'],
      ['an unknown field', { superuser: true }, 'superuser'],
      ['a password that is not a string', { password: 123456789012 }, 'password'],
    ])('refuses to create staff with %s', async (_what, override, field) => {
      const body = {
        username: unique('gm.val'),
        displayName: 'Validation',
        role: 'agent',
        password: 'long-enough-password',
        ...override,
      };
      const response = await createStaff(admin.auth, body).expect(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
    });

    it.each([
      ['a null password', { password: null }, 'password'],
      ['a password with NUL', { password: 'long-enough\u0000password' }, 'password'],
      ['a password with a lone surrogate', { password: 'long-enough-\ud800-password' }, 'password'],
      ['a null display name', { displayName: null }, 'displayName'],
      ['null realms', { realms: null }, 'realms'],
    ])('refuses to update staff with %s as 400, changing nothing', async (_what, body, field) => {
      const staff = await sut.newStaff('agent');

      const response = await updateStaff(admin.auth, staff.id, body).expect(400);

      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
      // A password change would have ended the token.
      await me(staff.auth).expect(200);
    });

    it('refuses agents and moderators any staff administration with 403', async () => {
      const username = unique('gm.sneaky');
      for (const caller of [agent, moderator]) {
        const create = await createStaff(caller.auth, {
          username,
          displayName: 'Sneaky',
          role: 'admin',
          password: 'long-enough-password',
        }).expect(403);
        expect(errorOf(create).code).toBe('forbidden');
        await sut.http().get('/staff').set('Authorization', caller.auth).expect(403);
        await updateStaff(caller.auth, caller.id, { role: 'admin' }).expect(403);
      }
      const listed = (await sut.http().get('/staff').set('Authorization', admin.auth).expect(200))
        .body as StaffBody[];
      expect(listed.map((s) => s.username)).not.toContain(username);
      expect((await me(agent.auth).expect(200)).body).toMatchObject({ role: 'agent' });
    });

    it('makes a disabled account fail at once: its token with account_disabled, its login too', async () => {
      const victim = await sut.newStaff('agent');
      await me(victim.auth).expect(200);

      const disabled = await updateStaff(admin.auth, victim.id, { disabled: true }).expect(200);
      expect(disabled.body).toMatchObject({ id: victim.id, disabled: true });

      const refused = await me(victim.auth).expect(401);
      expect(errorOf(refused).code).toBe('account_disabled');
      const loginRefused = await login(victim.username, victim.password).expect(401);
      expect(errorOf(loginRefused).code).toBe('invalid_credentials');

      await updateStaff(admin.auth, victim.id, { disabled: false }).expect(200);
      const session = (await login(victim.username, victim.password).expect(200))
        .body as SessionBody;
      await me(bearer(session.accessToken)).expect(200);
    });

    it('applies a demotion at once to tokens already issued', async () => {
      const demoted = await sut.newStaff('admin');
      await updateStaff(admin.auth, demoted.id, { role: 'agent' }).expect(200);
      await createRealm(demoted.auth, { id: unique('demoted'), name: 'Nope' }).expect(403);
      expect((await me(demoted.auth).expect(200)).body).toMatchObject({ role: 'agent' });
    });

    it('refuses an admin disabling or demoting themselves', async () => {
      for (const change of [{ disabled: true }, { role: 'moderator' }, { role: 'agent' }]) {
        const response = await updateStaff(admin.auth, admin.id, change).expect(403);
        expect(errorOf(response).code).toBe('staff_self_change_forbidden');
      }
      expect((await me(admin.auth).expect(200)).body).toMatchObject({
        id: admin.id,
        role: 'admin',
        disabled: false,
      });
    });

    it('lets an admin change their own display name', async () => {
      const renamed = await updateStaff(admin.auth, admin.id, { displayName: 'Head GM' }).expect(
        200,
      );
      expect(renamed.body).toMatchObject({ displayName: 'Head GM', role: 'admin' });
    });

    it('answers staff_not_found for an unknown staff id', async () => {
      const response = await updateStaff(admin.auth, '00000000-0000-4000-8000-000000000000', {
        displayName: 'Ghost',
      }).expect(404);
      expect(errorOf(response).code).toBe('staff_not_found');
    });
  });

  describe('an admin restricted to some realms (issue 11 §4)', () => {
    let home: { id: string };
    let other: { id: string };
    let local: TestStaff;

    beforeAll(async () => {
      home = await sut.newRealm();
      other = await sut.newRealm();
      local = await sut.newStaff('admin', { realms: [home.id] });
    });

    const newAccount = (realms?: string[], role = 'agent'): Record<string, unknown> => ({
      username: unique('gm.scoped'),
      displayName: 'Scoped',
      role,
      password: 'long-enough-password',
      ...(realms && { realms }),
    });

    it('cannot widen itself to all realms or to another realm', async () => {
      for (const realms of [[], [home.id, other.id], [other.id]]) {
        const response = await updateStaff(local.auth, local.id, { realms }).expect(403);
        expect(errorOf(response).code).toBe('staff_realms_forbidden');
      }
      expect((await me(local.auth).expect(200)).body).toMatchObject({ realms: [home.id] });
    });

    it('cannot create an all-realm admin, nor staff of another realm', async () => {
      for (const body of [
        newAccount(undefined, 'admin'),
        newAccount([], 'admin'),
        newAccount([other.id]),
        newAccount([home.id, other.id]),
      ]) {
        const response = await createStaff(local.auth, body).expect(403);
        expect(errorOf(response).code).toBe('staff_realms_forbidden');
      }
      const listed = (await sut.http().get('/staff').set('Authorization', admin.auth).expect(200))
        .body as StaffBody[];
      expect(listed.filter((s) => s.username.startsWith('gm.scoped'))).toEqual([]);
    });

    it('creates and manages staff of its own realm', async () => {
      const created = (await createStaff(local.auth, newAccount([home.id], 'admin')).expect(201))
        .body as StaffBody;
      expect(created).toMatchObject({ role: 'admin', realms: [home.id] });
      const changed = await updateStaff(local.auth, created.id, {
        role: 'moderator',
        password: 'another-long-password',
        disabled: true,
      }).expect(200);
      expect(changed.body).toMatchObject({ role: 'moderator', disabled: true });
    });

    it('cannot disable, reset the password of, or even see an unrestricted admin', async () => {
      const unrestricted = await sut.newStaff('admin');
      for (const change of [
        { disabled: true },
        { password: 'attacker-chosen-password' },
        { realms: [home.id] },
        { role: 'agent' },
      ]) {
        const response = await updateStaff(local.auth, unrestricted.id, change).expect(404);
        expect(errorOf(response).code).toBe('staff_not_found');
      }
      await sut
        .http()
        .get(`/staff/${unrestricted.id}`)
        .set('Authorization', local.auth)
        .expect(404);
      // Untouched: a password reset would have ended this token, a demotion or disable too.
      expect((await me(unrestricted.auth).expect(200)).body).toMatchObject({
        role: 'admin',
        realms: [],
        disabled: false,
      });
    });

    it('cannot touch staff who also work in a realm outside its own', async () => {
      const shared = await sut.newStaff('agent', { realms: [home.id, other.id] });
      const foreign = await sut.newStaff('moderator', { realms: [other.id] });
      for (const target of [shared, foreign]) {
        await updateStaff(local.auth, target.id, { disabled: true }).expect(404);
        await updateStaff(local.auth, target.id, { realms: [home.id] }).expect(404);
      }
      await me(shared.auth).expect(200);
      await me(foreign.auth).expect(200);
    });

    it('lists only staff within its realms', async () => {
      const mine = await sut.newStaff('agent', { realms: [home.id] });
      const theirs = await sut.newStaff('agent', { realms: [other.id] });
      const listed = (await sut.http().get('/staff').set('Authorization', local.auth).expect(200))
        .body as StaffBody[];
      const ids = listed.map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining([local.id, mine.id]));
      expect(ids).not.toContain(theirs.id);
      expect(ids).not.toContain(admin.id);
      expect(listed.every((s) => s.realms.length > 0 && s.realms.every((r) => r === home.id))).toBe(
        true,
      );
      await sut.http().get(`/staff/${mine.id}`).set('Authorization', local.auth).expect(200);
      await sut.http().get(`/staff/${theirs.id}`).set('Authorization', local.auth).expect(404);
    });

    it('cannot create realms', async () => {
      const id = unique('escape');
      const response = await createRealm(local.auth, { id, name: 'Escape' }).expect(403);
      expect(errorOf(response).code).toBe('realm_create_forbidden');
      const realms = (await sut.http().get('/realms').set('Authorization', admin.auth).expect(200))
        .body as RealmBody[];
      expect(realms.map((r) => r.id)).not.toContain(id);
    });
  });

  describe('realms and game servers', () => {
    it('creates a realm whose player-token secret is shown once and works for player tokens', async () => {
      const id = unique('eu');
      const created = await createRealm(admin.auth, { id, name: 'EU' }).expect(201);
      const realm = created.body as RealmBody;
      expect(realm).toMatchObject({ id, name: 'EU' });
      expect(realm.playerTokenSecret).toEqual(expect.any(String));

      const token = await signPlayerToken(realm.playerTokenSecret ?? '', id, unique('p'));
      await sut.http().get('/tickets').set('Authorization', bearer(token)).expect(200);

      const listed = await sut.http().get('/realms').set('Authorization', agent.auth).expect(200);
      expect(listed.body).toEqual(
        expect.arrayContaining([{ id, name: 'EU', createdAt: expect.any(String) as unknown }]),
      );
      expect(JSON.stringify(listed.body)).not.toContain(realm.playerTokenSecret);
      expect(JSON.stringify(listed.body)).not.toMatch(/secret/i);
    });

    it('refuses a duplicate realm id with realm_conflict and keeps the first realm intact', async () => {
      const id = unique('dup');
      const first = (await createRealm(admin.auth, { id, name: 'Original' }).expect(201))
        .body as RealmBody;
      const duplicate = await createRealm(admin.auth, { id, name: 'Impostor' }).expect(409);
      expect(errorOf(duplicate).code).toBe('realm_conflict');
      expect(JSON.stringify(duplicate.body)).not.toMatch(/secret/i);

      const listed = (await sut.http().get('/realms').set('Authorization', admin.auth).expect(200))
        .body as RealmBody[];
      expect(listed.filter((r) => r.id === id)).toEqual([
        expect.objectContaining({ name: 'Original' }),
      ]);
      const token = await signPlayerToken(first.playerTokenSecret ?? '', id, unique('p'));
      await sut.http().get('/tickets').set('Authorization', bearer(token)).expect(200);
    });

    it.each([
      ['an upper-case id', { id: 'EU-West', name: 'x' }, 'id'],
      ['a missing name', { id: 'valid-id' }, 'name'],
      ['an unknown field', { id: 'valid-id2', name: 'x', secret: 'mine' }, 'secret'],
    ])('refuses to create a realm with %s', async (_what, body, field) => {
      const response = await createRealm(admin.auth, body).expect(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        details: expect.arrayContaining([expect.objectContaining({ field })]) as unknown,
      });
    });

    it('registers a game server whose API key is shown once and authenticates it', async () => {
      const realm = await sut.newRealm();
      const created = await createServer(admin.auth, realm.id, 'shard-a').expect(201);
      const server = created.body as GameServerBody;
      expect(server).toMatchObject({ realmId: realm.id, name: 'shard-a', revokedAt: null });
      const apiKey = server.apiKey ?? '';
      expect(apiKey).toContain(server.keyId);

      await registerPlayer(apiKey, realm.id).expect(200);

      const listed = await sut
        .http()
        .get(`/realms/${realm.id}/game-servers`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(listed.body).toEqual([
        expect.objectContaining({ id: server.id, keyId: server.keyId }),
      ]);
      const secretPart = apiKey.slice(apiKey.lastIndexOf('_') + 1);
      expect(JSON.stringify(listed.body)).not.toContain(secretPart);
      expect(JSON.stringify(listed.body)).not.toMatch(/apiKey|hash/i);
    });

    it('answers realm_not_found when registering a server in an unknown realm', async () => {
      const response = await createServer(admin.auth, unique('nowhere')).expect(404);
      expect(errorOf(response).code).toBe('realm_not_found');
    });

    it('refuses a key with the right id but the wrong secret', async () => {
      const realm = await sut.newRealm();
      const server = (await createServer(admin.auth, realm.id).expect(201)).body as GameServerBody;
      const forged = `gmd_${server.keyId}_${randomBytes(32).toString('base64url').slice(0, 43)}`;
      const response = await registerPlayer(forged, realm.id).expect(401);
      expect(errorOf(response).code).toBe('unauthenticated');
    });

    it('refuses a revoked key with key_revoked, and revoking twice changes nothing', async () => {
      const realm = await sut.newRealm();
      const server = (await createServer(admin.auth, realm.id).expect(201)).body as GameServerBody;
      const apiKey = server.apiKey ?? '';
      await registerPlayer(apiKey, realm.id).expect(200);

      const first = (await revoke(admin.auth, server.id).expect(200)).body as GameServerBody;
      expect(first.revokedAt).toEqual(expect.any(String));
      const refused = await registerPlayer(apiKey, realm.id).expect(401);
      expect(errorOf(refused).code).toBe('key_revoked');

      const second = (await revoke(admin.auth, server.id).expect(200)).body as GameServerBody;
      expect(second.revokedAt).toBe(first.revokedAt);
      expect(second).not.toHaveProperty('apiKey');
      await registerPlayer(apiKey, realm.id).expect(401);
    });

    it('answers game_server_not_found when revoking an unknown server', async () => {
      const response = await revoke(admin.auth, '00000000-0000-4000-8000-000000000000').expect(404);
      expect(errorOf(response).code).toBe('game_server_not_found');
    });

    it('refuses agents and moderators creating realms, registering servers or revoking keys with 403', async () => {
      const realm = await sut.newRealm();
      const server = await sut.newGameServer(realm);
      const realmId = unique('nope');
      for (const caller of [agent, moderator]) {
        expect(
          errorOf(await createRealm(caller.auth, { id: realmId, name: 'x' }).expect(403)).code,
        ).toBe('forbidden');
        await createServer(caller.auth, realm.id).expect(403);
        await revoke(caller.auth, server.id).expect(403);
        await sut
          .http()
          .get(`/realms/${realm.id}/game-servers`)
          .set('Authorization', caller.auth)
          .expect(403);
      }
      const realms = (await sut.http().get('/realms').set('Authorization', admin.auth).expect(200))
        .body as RealmBody[];
      expect(realms.map((r) => r.id)).not.toContain(realmId);
      const servers = await sut
        .http()
        .get(`/realms/${realm.id}/game-servers`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(servers.body).toEqual([expect.objectContaining({ id: server.id, revokedAt: null })]);
      await registerPlayer(server.apiKey, realm.id).expect(200);
    });

    it('refuses players and game servers on admin routes with 403', async () => {
      const realm = await sut.newRealm();
      const server = await sut.newGameServer(realm);
      const player = await sut.newPlayer(realm);
      for (const auth of [server.auth, player.auth]) {
        await createRealm(auth, { id: unique('x'), name: 'x' }).expect(403);
        await createServer(auth, realm.id).expect(403);
        await revoke(auth, server.id).expect(403);
        await createStaff(auth, {
          username: unique('x'),
          displayName: 'x',
          role: 'admin',
          password: 'long-enough-password',
        }).expect(403);
        await me(auth).expect(403);
      }
    });

    it("keeps an admin restricted to one realm away from another realm's game servers", async () => {
      const home = await sut.newRealm();
      const foreign = await sut.newRealm();
      const foreignServer = await sut.newGameServer(foreign);
      const local = await sut.newStaff('admin', { realms: [home.id] });

      await createServer(local.auth, home.id).expect(201);
      expect(errorOf(await createServer(local.auth, foreign.id).expect(404)).code).toBe(
        'realm_not_found',
      );
      await sut
        .http()
        .get(`/realms/${foreign.id}/game-servers`)
        .set('Authorization', local.auth)
        .expect(404);
      await revoke(local.auth, foreignServer.id).expect(404);

      const servers = await sut
        .http()
        .get(`/realms/${foreign.id}/game-servers`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(servers.body).toEqual([
        expect.objectContaining({ id: foreignServer.id, revokedAt: null }),
      ]);
      const realms = (await sut.http().get('/realms').set('Authorization', local.auth).expect(200))
        .body as RealmBody[];
      expect(realms.map((r) => r.id)).toEqual([home.id]);
    });
  });
});

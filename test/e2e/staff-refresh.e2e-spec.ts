import { connectSocket, waitForEvent } from '@gmdesk/testing';
import type { Socket } from 'socket.io-client';
import type { Response, Test } from 'supertest';
import { DataSource } from 'typeorm';
import { ApiTestContext, type TestStaff } from '../support/api-context';

interface SessionBody {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly staff: { readonly id: string; readonly username: string };
}

const CONSOLE_HEADER = ['X-Requested-With', 'gmdesk-console'] as const;

/** The `name=value` of each Set-Cookie of a response, with its attributes. */
function setCookies(response: Response): Map<string, { value: string; attributes: string }> {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  const cookies = new Map<string, { value: string; attributes: string }>();
  for (const line of header ?? []) {
    const [pair = '', ...attributes] = line.split(';');
    const separator = pair.indexOf('=');
    cookies.set(pair.slice(0, separator).trim(), {
      value: pair.slice(separator + 1).trim(),
      attributes: attributes.join(';').trim(),
    });
  }
  return cookies;
}

const errorCode = (response: Response): unknown =>
  (response.body as { error?: { code?: unknown } }).error?.code;

/**
 * Sign-in sessions (issue 13): the refresh cookie set at login, rotated by `POST /auth/refresh`,
 * single use (a replay ends the whole session), ended by logout, refused for disabled staff and
 * expired sessions.
 */
describe('staff sign-in sessions and POST /auth/refresh', () => {
  let sut: ApiTestContext;
  let admin: TestStaff;
  let db: DataSource;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({ staffTokenTtlSeconds: 120 }, { gateway: true });
    admin = await sut.newStaff('admin');
    db = sut.get(DataSource);
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => sut.close());

  const login = async (staff: TestStaff): Promise<{ body: SessionBody; refresh: string }> => {
    const response = await sut
      .http()
      .post('/auth/login')
      .send({ username: staff.username, password: staff.password })
      .expect(200);
    const refresh = setCookies(response).get('gmdesk_refresh')?.value;
    if (!refresh) {
      throw new Error('login set no refresh cookie');
    }
    return { body: response.body as SessionBody, refresh };
  };
  const refresh = (credential: string | undefined, header = true): Test => {
    const call = sut.http().post('/auth/refresh');
    if (credential !== undefined) {
      call.set('Cookie', `gmdesk_session=1; gmdesk_refresh=${credential}`);
    }
    return header ? call.set(...CONSOLE_HEADER) : call;
  };
  const me = (token: string): Test =>
    sut.http().get('/auth/me').set('Authorization', `Bearer ${token}`);

  it('sets an httpOnly SameSite=Strict refresh cookie scoped to /auth and a readable hint at login', async () => {
    const response = await sut
      .http()
      .post('/auth/login')
      .send({ username: admin.username, password: admin.password })
      .expect(200);
    const cookies = setCookies(response);

    const credential = cookies.get('gmdesk_refresh');
    const hint = cookies.get('gmdesk_session');
    expect(credential?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(credential?.attributes).toMatch(/Path=\/auth/);
    expect(credential?.attributes).toMatch(/HttpOnly/);
    expect(credential?.attributes).toMatch(/SameSite=Strict/);
    expect(credential?.attributes).not.toMatch(/Secure/);
    expect(hint?.value).toBe('1');
    expect(hint?.attributes).toMatch(/Path=\//);
    expect(hint?.attributes).not.toMatch(/HttpOnly/);
    // Only its SHA-256 is stored.
    const stored: { hashed: string; plain: string }[] = await db.query(
      `SELECT count(*) FILTER (WHERE token_hash = sha256(convert_to($1, 'UTF8'))) AS hashed,
              count(*) FILTER (WHERE token_hash = convert_to($1, 'UTF8')) AS plain
         FROM staff_refresh_tokens`,
      [credential?.value],
    );
    expect(stored[0]).toEqual({ hashed: '1', plain: '0' });
  });

  it('marks the cookies Secure when the request came over https (through a proxy)', async () => {
    const response = await sut
      .http()
      .post('/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ username: admin.username, password: admin.password })
      .expect(200);

    const cookies = setCookies(response);
    expect(cookies.get('gmdesk_refresh')?.attributes).toMatch(/Secure/);
    expect(cookies.get('gmdesk_session')?.attributes).toMatch(/Secure/);
  });

  it('rotates the credential: a new token and a new cookie, answered like login', async () => {
    const staff = await sut.newStaff('agent');
    const first = await login(staff);

    const renewed = await refresh(first.refresh).expect(200);
    const body = renewed.body as SessionBody;
    const next = setCookies(renewed).get('gmdesk_refresh')?.value;

    expect(body.accessToken).not.toBe(first.body.accessToken);
    expect(body.staff.id).toBe(staff.id);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 100_000);
    expect(next).toBeDefined();
    expect(next).not.toBe(first.refresh);
    await me(body.accessToken).expect(200);
    // The new credential works in turn.
    await refresh(next).expect(200);
  });

  it('ends the whole session when a used credential comes back: theft detection', async () => {
    const staff = await sut.newStaff('agent');
    const first = await login(staff);
    const renewed = await refresh(first.refresh).expect(200);
    const current = setCookies(renewed).get('gmdesk_refresh')?.value ?? '';
    const live = await connectSocket(sut.url, '/staff', {
      auth: { token: (renewed.body as SessionBody).accessToken },
    });
    sockets.push(live);
    const closing = waitForEvent<{ code: string }>(live, 'session.closing', { timeoutMs: 10_000 });
    // Past the grace for concurrent tabs: a replay, not a race.
    await db.query(
      `UPDATE staff_refresh_tokens SET used_at = now() - interval '1 minute' WHERE used_at IS NOT NULL`,
    );

    const replay = await refresh(first.refresh);

    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('token_revoked');
    expect(setCookies(replay).get('gmdesk_refresh')?.attributes).toMatch(
      /Expires=Thu, 01 Jan 1970/,
    );
    // The thief's newer credential and every access token of the session are dead too.
    const after = await refresh(current);
    expect([after.status, errorCode(after)]).toEqual([401, 'token_revoked']);
    const tokens = [first.body.accessToken, (renewed.body as SessionBody).accessToken];
    for (const token of tokens) {
      const response = await me(token);
      expect([response.status, errorCode(response)]).toEqual([401, 'token_revoked']);
    }
    expect((await closing).code).toBe('revoked');
    // Audited, with the client's address; other sessions of the account are untouched.
    const audit = await sut
      .http()
      .get('/audit')
      .query({ targetType: 'staff', targetId: staff.id })
      .set('Authorization', admin.auth)
      .expect(200);
    expect(
      (audit.body as { items: { action: string }[] }).items.map((entry) => entry.action),
    ).toContain('auth.refresh_reused');
    await me(staff.token).expect(200);
  });

  it('takes a used credential presented again within the grace for a concurrent tab: a token, no new cookie', async () => {
    const staff = await sut.newStaff('agent');
    const first = await login(staff);
    const winner = await refresh(first.refresh).expect(200);

    const racer = await refresh(first.refresh).expect(200);

    expect(setCookies(racer).has('gmdesk_refresh')).toBe(false);
    await me((racer.body as SessionBody).accessToken).expect(200);
    await refresh(setCookies(winner).get('gmdesk_refresh')?.value).expect(200);
  });

  it('ends the session at logout: the cookie is cleared and no longer refreshes', async () => {
    const staff = await sut.newStaff('agent');
    const { body, refresh: credential } = await login(staff);

    const out = await sut
      .http()
      .post('/auth/logout')
      .set('Authorization', `Bearer ${body.accessToken}`)
      .send({})
      .expect(200);

    const cleared = setCookies(out);
    expect(cleared.get('gmdesk_refresh')?.attributes).toMatch(
      /Expires=Thu, 01 Jan 1970.*|Path=\/auth/,
    );
    expect(cleared.get('gmdesk_refresh')?.value).toBe('');
    expect(cleared.get('gmdesk_session')?.value).toBe('');
    const again = await refresh(credential);
    expect([again.status, errorCode(again)]).toEqual([401, 'token_revoked']);
  });

  it('refuses a disabled staff member, and a session past its end', async () => {
    const staff = await sut.newStaff('agent');
    const disabled = await login(staff);
    const other = await sut.newStaff('agent');
    const expired = await login(other);
    await sut
      .http()
      .patch(`/staff/${staff.id}`)
      .set('Authorization', admin.auth)
      .send({ disabled: true })
      .expect(200);
    await db.query(
      `UPDATE staff_sessions SET expires_at = now() - interval '1 second' WHERE staff_id = $1`,
      [other.id],
    );

    const refused = await refresh(disabled.refresh);
    const late = await refresh(expired.refresh);

    expect([refused.status, errorCode(refused)]).toEqual([401, 'account_disabled']);
    expect([late.status, errorCode(late)]).toEqual([401, 'token_expired']);
  });

  it('ends refresh sessions when the password changes (the account’s session generation)', async () => {
    const staff = await sut.newStaff('agent');
    const { refresh: credential } = await login(staff);
    await sut
      .http()
      .patch(`/staff/${staff.id}`)
      .set('Authorization', admin.auth)
      .send({ password: 'a-brand-new-password-1' })
      .expect(200);

    const response = await refresh(credential);

    expect([response.status, errorCode(response)]).toEqual([401, 'token_revoked']);
  });

  it('answers a clear 401 without the cookie, 401 for an unknown one, and 403 without the console header', async () => {
    const staff = await sut.newStaff('agent');
    const { refresh: credential } = await login(staff);

    const missing = await refresh(undefined);
    const unknown = await refresh('x'.repeat(43));
    const noHeader = await refresh(credential, false);

    expect([missing.status, errorCode(missing)]).toEqual([401, 'refresh_cookie_missing']);
    expect((missing.body as { error: { message: string } }).error.message).toMatch(/sign in/i);
    expect([unknown.status, errorCode(unknown)]).toEqual([401, 'unauthenticated']);
    expect([noHeader.status, errorCode(noHeader)]).toEqual([403, 'csrf_check_failed']);
    // The refused cross-site attempt did not use the credential up.
    await refresh(credential).expect(200);
  });
});

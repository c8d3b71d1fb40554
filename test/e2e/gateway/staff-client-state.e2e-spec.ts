import { AuthService } from '@gmdesk/core';
import { StaffClient, type ConnectionState, type SessionEndReason } from '@gmdesk/sdk';
import { withTimeout } from '@gmdesk/testing';
import { SignJWT } from 'jose';
import { ApiTestContext, type TestStaff } from '../../support/api-context';

const JWT_SECRET = 'staff-client-state-test-secret-0123456789';

/** The states a client reports, in order, and a way to await the next one. */
function recordStates(client: StaffClient): {
  readonly seen: { state: ConnectionState; reason?: SessionEndReason }[];
  next(state: ConnectionState, what: string): Promise<SessionEndReason | undefined>;
} {
  const seen: { state: ConnectionState; reason?: SessionEndReason }[] = [];
  const waiters = new Set<(state: ConnectionState, reason?: SessionEndReason) => void>();
  client.onStateChange((state, reason) => {
    seen.push({ state, ...(reason && { reason }) });
    waiters.forEach((waiter) => waiter(state, reason));
  });
  return {
    seen,
    next: (wanted, what) =>
      withTimeout(
        new Promise<SessionEndReason | undefined>((resolve) => {
          const waiter = (state: ConnectionState, reason?: SessionEndReason): void => {
            if (state === wanted) {
              waiters.delete(waiter);
              resolve(reason);
            }
          };
          waiters.add(waiter);
        }),
        15_000,
        what,
      ),
  };
}

/**
 * StaffClient (issue 13): a token given as a function is asked again at every reconnect, so a
 * session the gateway ends at token expiry comes back with the renewed token; `onStateChange`
 * reports connected / disconnected / stopped without polling.
 */
describe('StaffClient: renewable token and connection state', () => {
  let sut: ApiTestContext;
  const clients: StaffClient[] = [];

  beforeAll(async () => {
    // Tokens live 3 s here, so the gateway ends sessions at expiry within the test.
    sut = await ApiTestContext.start(
      { staffTokenTtlSeconds: 3, jwtSecret: JWT_SECRET },
      { gateway: true },
    );
  });

  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => sut.close());

  const login = async (staff: TestStaff): Promise<string> =>
    (await sut.get(AuthService).login(staff.username, staff.password, { ip: 'test' })).accessToken;

  it('reconnects with the current token when the gateway ends the session at token expiry', async () => {
    const agent = await sut.newStaff('agent');
    const handedOut: string[] = [];
    const client = new StaffClient({
      baseUrl: sut.url,
      // The first token, then a renewed one: what the console's session gives at that moment.
      token: async () => {
        handedOut.push(await login(agent));
        return handedOut.at(-1) ?? '';
      },
      reconnectionDelayMs: 50,
    });
    clients.push(client);
    const states = recordStates(client);
    await client.connect();
    expect(client.state).toBe('connected');
    const closed = new Promise<SessionEndReason>((resolve) => client.onClosed(resolve));

    await states.next('disconnected', 'the gateway to end the session at token expiry');
    await states.next('connected', 'the client to come back with the renewed token');

    expect((await closed).code).toBe('token_expired');
    expect(handedOut).toHaveLength(2);
    expect(handedOut[1]).not.toBe(handedOut[0]);
    expect(states.seen.map((entry) => entry.state)).toEqual([
      'connected',
      'disconnected',
      'connected',
    ]);
  }, 30_000);

  it('stops, with the reason, when the token has expired and no renewed one comes', async () => {
    const agent = await sut.newStaff('agent');
    const token = await login(agent);
    const client = new StaffClient({
      baseUrl: sut.url,
      token: () => token,
      reconnectionDelayMs: 50,
    });
    clients.push(client);
    const states = recordStates(client);
    await client.connect();

    const reason = await states.next('stopped', 'the client to stop with the expired token');

    expect(reason?.code).toBe('token_expired');
    expect(reason?.retry).toBe(false);
  }, 30_000);

  it('asks the token function once more when the handshake refuses an expired token', async () => {
    const agent = await sut.newStaff('agent');
    // A token that expired a minute ago, as a tab waking from sleep would still hold.
    const expired = await new SignJWT({ role: 'agent', gen: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(agent.id)
      .setIssuer('gmdesk')
      .setAudience('gmdesk:staff')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(JWT_SECRET));
    let calls = 0;
    const client = new StaffClient({
      baseUrl: sut.url,
      token: async () => (calls++ === 0 ? expired : login(agent)),
      reconnectionDelayMs: 50,
    });
    clients.push(client);

    await client.connect({ timeoutMs: 10_000 });

    expect(calls).toBe(2);
    expect(client.state).toBe('connected');
  }, 30_000);
});

/** With ordinary token lifetimes: the server drops a session, the client comes back. */
describe('StaffClient: connection state when the server drops the session', () => {
  let sut: ApiTestContext;
  let admin: TestStaff;
  const clients: StaffClient[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    admin = await sut.newStaff('admin');
  });

  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => sut.close());

  it('reports disconnected then connected when the server drops the session, and stopped at close()', async () => {
    const agent = await sut.newStaff('agent');
    const client = new StaffClient({
      baseUrl: sut.url,
      token: agent.token,
      reconnectionDelayMs: 50,
    });
    clients.push(client);
    const states = recordStates(client);
    await client.connect();

    // A realm change ends the session with credentials_changed (retry: true).
    const realm = await sut.newRealm();
    await sut
      .http()
      .patch(`/staff/${agent.id}`)
      .set('Authorization', admin.auth)
      .send({ realms: [realm.id] })
      .expect(200);
    await states.next('disconnected', 'the server to drop the session');
    await states.next('connected', 'the client to reconnect');
    client.close();

    expect(states.seen).toEqual([
      { state: 'connected' },
      { state: 'disconnected' },
      { state: 'connected' },
      { state: 'stopped' },
    ]);
    expect(client.state).toBe('stopped');
  }, 30_000);
});

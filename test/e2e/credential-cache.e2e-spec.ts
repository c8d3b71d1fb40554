import { RevocationBus, type RevocationSubject } from '@gmdesk/core';
import { withTimeout } from '@gmdesk/testing';
import { DataSource } from 'typeorm';
import { ApiTestContext, type TestRealm } from '../support/api-context';

/**
 * Two api processes on one database, as in production behind a load balancer. Each caches the
 * credentials it verified; a revocation made through one must end them in the other too.
 */
describe('verified credentials cached by several api processes', () => {
  let first: ApiTestContext;
  let second: ApiTestContext;
  let realm: TestRealm;

  beforeAll(async () => {
    first = await ApiTestContext.start();
    second = await ApiTestContext.start({}, { sharing: first });
    realm = await first.newRealm();
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** Resolves when `context`'s process has heard of a revocation of `subject`. */
  const heard = (context: ApiTestContext, subject: RevocationSubject): Promise<void> => {
    let unsubscribe: () => void = () => undefined;
    return withTimeout(
      new Promise<void>((resolve) => {
        unsubscribe = context.get(RevocationBus).subscribe((published) => {
          if (published === subject || published === '*') {
            resolve();
          }
        });
      }),
      10_000,
      `${subject} to reach the other process`,
    ).finally(() => unsubscribe());
  };

  it('refuses a logged-out staff token at once in the process that logged it out, and in the other once it heard', async () => {
    const agent = await first.newStaff('agent');
    await second.http().get('/auth/me').set('authorization', agent.auth).expect(200);
    await first.http().get('/auth/me').set('authorization', agent.auth).expect(200);

    const revoked = heard(second, `staff:${agent.id}`);
    await first.http().post('/auth/logout').set('authorization', agent.auth).send({}).expect(200);
    const here = await first.http().get('/auth/me').set('authorization', agent.auth);
    await revoked;
    const there = await second.http().get('/auth/me').set('authorization', agent.auth);

    expect([here.status, there.status]).toEqual([401, 401]);
  });

  it('ends a cached game-server key in the other process when it is revoked', async () => {
    const admin = await first.newStaff('admin');
    const server = await first.newGameServer(realm);
    const path = `/realms/${realm.id}/players/someone`;
    await second.http().put(path).set('authorization', server.auth).send({}).expect(200);

    const revoked = heard(second, `server:${server.id}`);
    await first
      .http()
      .post(`/game-servers/${server.id}/revoke`)
      .set('authorization', admin.auth)
      .expect(200);
    await revoked;
    const response = await second.http().put(path).set('authorization', server.auth).send({});

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'key_revoked' } });
  });

  it('applies a role change made through one process to a token cached by the other', async () => {
    const admin = await first.newStaff('admin');
    const moderator = await first.newStaff('moderator');
    await second.http().get('/sanctions').set('authorization', moderator.auth).expect(200);

    const changed = heard(second, `staff:${moderator.id}`);
    await first
      .http()
      .patch(`/staff/${moderator.id}`)
      .set('authorization', admin.auth)
      .send({ role: 'agent' })
      .expect(200);
    await changed;
    const revoke = await second
      .http()
      .post(`/sanctions/00000000-0000-4000-8000-000000000000/revoke`)
      .set('authorization', moderator.auth)
      .send({ reason: 'Test' });

    expect(revoke.status).toBe(403);
  });

  it('forgets every cached credential when its notice connection was lost', async () => {
    const agent = await first.newStaff('agent');
    await second.http().get('/auth/me').set('authorization', agent.auth).expect(200);
    // Disabled behind the processes' backs (as a notice lost in a disconnect would look).
    await second
      .get(DataSource)
      .query(`UPDATE staff SET disabled_at = now() WHERE id = $1`, [agent.id]);
    const stillCached = await second.http().get('/auth/me').set('authorization', agent.auth);

    const forgotten = heard(second, '*');
    await second.get(DataSource).query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'gmdesk-delivery-listener' AND datname = current_database()`,
    );
    await forgotten;
    const afterReconnect = await second.http().get('/auth/me').set('authorization', agent.auth);

    expect([stillCached.status, afterReconnect.status]).toEqual([200, 401]);
  });
});

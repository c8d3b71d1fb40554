import { startTestContext, testConfig, type TestContext } from '@gmdesk/testing';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { StaffService } from '../staff/staff.service';
import { AuthModule } from './auth.module';
import { AuthService } from './auth.service';

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
const client = { ip: '203.0.113.7' };

/** The error a login ends with (fails the test when it succeeds). */
async function failureOf(attempt: Promise<unknown>): Promise<DomainError> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof DomainError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the login to fail');
}

describe('login back-off (AuthService on a real database)', () => {
  let app: TestContext;
  let sut: AuthService;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestContext({
      config: testConfig({ loginBackoff: { afterFailures: 3, baseSeconds: 60, maxSeconds: 600 } }),
      roles: [{ name: 'auth', module: AuthModule, serves: false }],
    });
    sut = app.app.get(AuthService);
    db = app.app.get(DataSource);
  });

  afterAll(() => app.close());

  async function newStaff(): Promise<{ username: string; password: string; id: string }> {
    const username = unique('gm');
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const staff = await app.app
      .get(StaffService)
      .create(null, { username, displayName: 'GM', role: 'agent', password });
    return { username, password, id: staff.id };
  }

  it('backs off an unknown username exactly like a real one, so it reveals no usernames', async () => {
    const real = await newStaff();
    const ghost = unique('nobody');
    const outcomes = async (username: string): Promise<string[]> => {
      const codes: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        codes.push((await failureOf(sut.login(username, 'wrong-password', client))).code);
      }
      return codes;
    };
    const expected = [
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'too_many_failed_logins',
      'too_many_failed_logins',
    ];
    expect(await outcomes(real.username)).toEqual(expected);
    expect(await outcomes(ghost)).toEqual(expected);
    const waits: { wait_ms: number }[] = await db.query(
      `SELECT (extract(epoch FROM blocked_until - last_failure_at) * 1000)::int AS wait_ms
         FROM login_failures WHERE username_key = ANY($1) ORDER BY username_key`,
      [[real.username.toLowerCase(), ghost.toLowerCase()]],
    );
    expect(waits).toEqual([{ wait_ms: 60_000 }, { wait_ms: 60_000 }]);
  });

  it('counts the username whatever its case', async () => {
    const staff = await newStaff();
    for (const name of [staff.username, staff.username.toUpperCase(), staff.username]) {
      await failureOf(sut.login(name, 'wrong-password', client));
    }
    expect((await failureOf(sut.login(staff.username, staff.password, client))).code).toBe(
      'too_many_failed_logins',
    );
  });

  it('checks at most the allowed number of many concurrent guesses; the others wait', async () => {
    const staff = await newStaff();
    const codes = await Promise.all(
      Array.from(
        { length: 12 },
        async () => (await failureOf(sut.login(staff.username, 'wrong', client))).code,
      ),
    );
    const rows: { failures: number }[] = await db.query(
      `SELECT failures FROM login_failures WHERE username_key = $1`,
      [staff.username.toLowerCase()],
    );
    expect(codes.filter((code) => code === 'invalid_credentials')).toHaveLength(3);
    expect(codes.filter((code) => code === 'too_many_failed_logins')).toHaveLength(9);
    expect(rows).toEqual([{ failures: 3 }]);
    expect((await failureOf(sut.login(staff.username, staff.password, client))).code).toBe(
      'too_many_failed_logins',
    );
  });

  it('counts an attempt before checking it and forgets it when the password was right', async () => {
    const staff = await newStaff();
    await failureOf(sut.login(staff.username, 'wrong', client));
    await failureOf(sut.login(staff.username, 'wrong', client));
    // The third attempt would start the wait if it failed; it succeeds, so nothing is left.
    await expect(sut.login(staff.username, staff.password, client)).resolves.toMatchObject({
      staff: { id: staff.id },
    });
    const rows: unknown[] = await db.query(
      `SELECT failures FROM login_failures WHERE username_key = $1`,
      [staff.username.toLowerCase()],
    );
    expect(rows).toEqual([]);
  });

  it('does not extend the wait for attempts made while waiting', async () => {
    const staff = await newStaff();
    for (let i = 0; i < 3; i += 1) {
      await failureOf(sut.login(staff.username, 'wrong', client));
    }
    const before: { blocked_until: Date }[] = await db.query(
      `SELECT blocked_until FROM login_failures WHERE username_key = $1`,
      [staff.username.toLowerCase()],
    );
    for (let i = 0; i < 5; i += 1) {
      await failureOf(sut.login(staff.username, 'wrong', client));
    }
    const after: { blocked_until: Date; failures: number }[] = await db.query(
      `SELECT blocked_until, failures FROM login_failures WHERE username_key = $1`,
      [staff.username.toLowerCase()],
    );
    expect(after).toEqual([{ blocked_until: before[0]?.blocked_until, failures: 3 }]);
  });

  it('leaves other accounts alone', async () => {
    const attacked = await newStaff();
    const bystander = await newStaff();
    for (let i = 0; i < 4; i += 1) {
      await failureOf(sut.login(attacked.username, 'wrong', client));
    }
    await expect(sut.login(bystander.username, bystander.password, client)).resolves.toMatchObject({
      staff: { id: bystander.id },
    });
  });

  it('prunes the failures of names nobody tried for a day', async () => {
    const stale = unique('stale');
    await db.query(
      `INSERT INTO login_failures (username_key, failures, last_failure_at)
       VALUES ($1, 2, now() - interval '25 hours')`,
      [stale],
    );
    await failureOf(sut.login(unique('someone'), 'wrong', client));
    const rows: unknown[] = await db.query(`SELECT 1 FROM login_failures WHERE username_key = $1`, [
      stale,
    ]);
    expect(rows).toEqual([]);
  });
});

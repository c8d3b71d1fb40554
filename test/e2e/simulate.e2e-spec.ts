import { withTimeout } from '@gmdesk/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ApiTestContext, type TestStaff } from '../support/api-context';

const REPO = join(__dirname, '..', '..');

interface TicketPage {
  readonly items: Array<{ id: string; kind: string; realmId: string; reportCount: number }>;
}

interface TicketDetail {
  readonly messages: Array<{ authorType: string; body: string; createdAt: string }>;
}

interface SanctionDetail {
  readonly enforcement: Array<{ serverName: string; status: string }>;
}

/** Re-asks until `check` returns a value, or fails after 30 s. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  return withTimeout(
    (async () => {
      for (;;) {
        const value = await check();
        if (value !== undefined) {
          return value;
        }
        // A poll interval, not a wait for the event: the answer is checked again each time.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })(),
    30_000,
    what,
  );
}

/**
 * `npm run simulate` against a real gmdesk (api + gateway on one port, its own database): the
 * simulator finds its credentials in that database, its players file reports and tickets, answer
 * a GM's reply, and its game servers acknowledge a sanction.
 */
describe('npm run simulate', () => {
  let sut: ApiTestContext;
  let gm: TestStaff;
  let simulator: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    // The test polls the api: a rate limit for it, not for the simulator's players, is in the way.
    sut = await ApiTestContext.start({ rateLimitPerMinute: 100_000 }, { gateway: true });
    gm = await sut.newStaff('moderator');
    simulator = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'tools/simulate.ts',
        '--servers',
        '2',
        '--players',
        '8',
        '--offenders',
        '2',
        '--rate',
        '6',
        '--duration',
        '120',
      ],
      {
        cwd: REPO,
        env: { ...process.env, DATABASE_URL: sut.testApp.database.url, GMDESK_URL: sut.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    simulator.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    simulator.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => simulator.on('exit', (code) => resolve(code)));
  });

  afterAll(async () => {
    if (simulator && simulator.exitCode === null) {
      simulator.kill('SIGKILL');
    }
    await sut?.close();
  });

  const list = async (query: object): Promise<TicketPage['items']> =>
    (
      (
        await sut
          .http()
          .get('/tickets')
          .query({ realmId: 'sim', limit: 100, ...query })
          .set('Authorization', gm.auth)
          .expect(200)
      ).body as TicketPage
    ).items;

  it('files reports that grow cases against the same offenders, and opens tickets', async () => {
    const cases = await eventually('a case with reports from several players', async () => {
      const items = await list({ kind: 'moderation' });
      return items.some((item) => item.reportCount >= 2) ? items : undefined;
    });
    expect(cases.length).toBeGreaterThan(0);
    await eventually('a support ticket', async () => {
      const items = await list({ kind: 'support' });
      return items.length > 0 ? items : undefined;
    });
  });

  it("answers a GM's public reply", async () => {
    const [ticket] = await list({ kind: 'support' });
    await sut
      .http()
      .post(`/tickets/${ticket.id}/messages`)
      .set('Authorization', gm.auth)
      .send({ body: 'Hello, can you tell me more?', visibility: 'public' })
      .expect(201);
    const answer = await eventually("the player's answer", async () => {
      const detail = (
        await sut.http().get(`/tickets/${ticket.id}`).set('Authorization', gm.auth).expect(200)
      ).body as TicketDetail;
      const last = detail.messages.at(-1);
      return last?.authorType === 'player' && detail.messages.length >= 3 ? last : undefined;
    });
    expect(answer.body.length).toBeGreaterThan(0);
  });

  it("has the game servers acknowledge a GM's sanction", async () => {
    const created = await sut
      .http()
      .post('/sanctions')
      .set('Authorization', gm.auth)
      .send({
        realmId: 'sim',
        playerId: 'sim-offender-1',
        type: 'mute',
        publicReason: 'Cheating reported by several players.',
        durationMinutes: 60,
      })
      .expect(201);
    const id = (created.body as { id: string }).id;
    const detail = await eventually('both servers to ack', async () => {
      const body = (
        await sut.http().get(`/sanctions/${id}`).set('Authorization', gm.auth).expect(200)
      ).body as SanctionDetail;
      return body.enforcement.length === 2 && body.enforcement.every((e) => e.status === 'acked')
        ? body
        : undefined;
    });
    expect(detail.enforcement.map((e) => e.serverName).sort()).toEqual([
      'sim-server-1',
      'sim-server-2',
    ]);
  });

  it('stops on SIGINT with a progress line and without errors', async () => {
    simulator.kill('SIGINT');
    const code = await withTimeout(exited, 15_000, 'the simulator to exit');
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/simulate: .*reports \d+ .*tickets \d+/);
    expect(output).toMatch(/sanctions acked [1-9]/);
    expect(output).toMatch(/answers [1-9]/);
    expect(output).not.toMatch(/errors \d+/);
    expect(output).toContain('simulate: done');
  });
});

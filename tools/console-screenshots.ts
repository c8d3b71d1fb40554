/**
 * `node -r @swc-node/register tools/console-screenshots.ts` — the README's console screenshots.
 *
 * Starts a throw-away gmdesk (api + gateway on its own PostgreSQL database, as the e2e tests do),
 * runs `npm run simulate` against it, plays a GM for a while over REST (replies to support
 * tickets, claims cases, mutes the most reported offender: the simulated players answer and the
 * game servers ack), then drives Chromium through the queue, a case and the dashboard and writes
 * docs/screenshots/{queue,case,dashboard}.png.
 *
 * The simulation runs for about a minute, so for the dashboard's hourly charts the script shifts
 * each ticket (with its reports and messages) back by up to 20 hours in that throw-away database
 * afterwards: every interval (time to first response, SLA clocks) is kept as it happened.
 */
import { StaffService } from '@gmdesk/core';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { ApiTestContext } from '../test/support/api-context';

const REPO = join(__dirname, '..');
const OUT = join(REPO, 'docs', 'screenshots');
const SIMULATE_SECONDS = Number(process.env.SCREENSHOT_SIMULATE_SECONDS ?? 60);
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface TicketRow {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly reportCount: number;
  readonly subjectPlayer?: { accountId: string } | null;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(REPO, 'apps', 'console', 'scripts', 'build-console.mjs')], {
    stdio: 'inherit',
  });
  await globalSetup();
  const sut = await ApiTestContext.start({ rateLimitPerMinute: 1_000_000 }, { gateway: true });
  const password = 'screenshots-password-1';
  const gm = await sut.get(StaffService).create(null, {
    username: 'mara',
    displayName: 'Mara Quinn',
    role: 'moderator',
    password,
  });
  const login = await sut
    .http()
    .post('/auth/login')
    .send({ username: 'mara', password })
    .expect(200);
  const auth = `Bearer ${(login.body as { accessToken: string }).accessToken}`;

  log(`gmdesk on ${sut.url}; simulating for ${SIMULATE_SECONDS}s…`);
  const simulator = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      'tools/simulate.ts',
      '--players',
      '60',
      '--servers',
      '3',
      '--rate',
      '3',
    ],
    {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: sut.testApp.database.url, GMDESK_URL: sut.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const db = new Client({ connectionString: sut.testApp.database.url });
  await db.connect();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const list = async (query: object): Promise<TicketRow[]> =>
      (
        (
          await sut
            .http()
            .get('/tickets')
            .query({ limit: 100, ...query })
            .set('Authorization', auth)
        ).body as { items: TicketRow[] }
      ).items;

    // The GM at work while the simulation runs: answer most support tickets, claim some cases.
    const answered = new Set<string>();
    const claimed = new Set<string>();
    const deadline = Date.now() + SIMULATE_SECONDS * 1000;
    while (Date.now() < deadline) {
      await delay(4000);
      for (const ticket of await list({ kind: 'support', status: 'new' })) {
        if (!answered.has(ticket.id) && Math.random() < 0.7) {
          answered.add(ticket.id);
          await sut.http().post(`/tickets/${ticket.id}/messages`).set('Authorization', auth).send({
            body: 'Thanks for writing in. Can you tell me where exactly?',
            visibility: 'public',
          });
        }
      }
      for (const ticket of await list({ kind: 'moderation', status: 'new' })) {
        if (!claimed.has(ticket.id) && Math.random() < 0.15) {
          claimed.add(ticket.id);
          await sut
            .http()
            .post(`/tickets/${ticket.id}/assign`)
            .set('Authorization', auth)
            .send({ assigneeId: gm.id });
        }
      }
    }
    const cases = await list({ kind: 'moderation' });
    const worst = [...cases].sort((a, b) => b.reportCount - a.reportCount)[0];
    if (worst?.subjectPlayer) {
      await sut.http().post('/sanctions').set('Authorization', auth).send({
        realmId: 'sim',
        playerId: worst.subjectPlayer.accountId,
        type: 'mute',
        publicReason: 'Cheating reported by several players.',
        durationMinutes: 1440,
        ticketId: worst.id,
      });
      await sut.http().post(`/tickets/${worst.id}/messages`).set('Authorization', auth).send({
        body: 'Muted for 24 h; speed hack visible in three reports.',
        visibility: 'internal',
      });
    }
    await delay(5000);
    simulator.kill('SIGINT');
    await new Promise((resolve) => simulator.once('exit', resolve));

    // Spread the minute of activity over the last 20 hours, intervals kept (see the header).
    await db.query(`
      CREATE TEMP TABLE shift AS
        SELECT id, (random() * 20 * 3600)::int * interval '1 second' AS back FROM tickets;
      UPDATE tickets t SET created_at = t.created_at - s.back, updated_at = t.updated_at - s.back,
             first_response_due_at = t.first_response_due_at - s.back,
             resolution_due_at = t.resolution_due_at - s.back,
             first_responded_at = t.first_responded_at - s.back
        FROM shift s WHERE s.id = t.id;
      UPDATE ticket_messages m SET created_at = m.created_at - s.back FROM shift s WHERE s.id = m.ticket_id;
      UPDATE reports r SET created_at = r.created_at - s.back, occurred_at = r.occurred_at - s.back
        FROM shift s WHERE s.id = r.ticket_id;`);

    mkdirSync(OUT, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${sut.url}/console`);
    await page.getByLabel('Username').fill('mara');
    await page.getByRole('textbox', { name: /^Password/ }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
    const queue = page.getByRole('listbox', { name: 'Queue' });
    await queue.getByRole('option').first().waitFor();
    await delay(500);
    await page.screenshot({ path: join(OUT, 'queue.png') });
    log('written docs/screenshots/queue.png');

    if (worst) {
      await queue.locator(`[data-ticket-id="${worst.id}"]`).click();
      await page
        .getByRole('region', { name: 'Case' })
        .waitFor()
        .catch(() => undefined);
      await delay(1500);
      await page.screenshot({ path: join(OUT, 'case.png') });
      log('written docs/screenshots/case.png');
    }

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.mouse.move(1200, 20);
    await page.setViewportSize({ width: 1440, height: 960 });
    // The simulation's answers span hours, not days: the hourly view shows them.
    await page.getByTestId('chart-response-times').getByText('48 h', { exact: true }).click();
    await page.getByTestId('chart-intake').locator('svg').first().waitFor();
    await page.getByTestId('chart-response-times').locator('svg').first().waitFor();
    await delay(1500);
    await page.screenshot({ path: join(OUT, 'dashboard.png') });
    log('written docs/screenshots/dashboard.png');
    if (problems.length > 0) {
      throw new Error(`the console reported problems:\n${problems.join('\n')}`);
    }
  } finally {
    if (simulator.exitCode === null) {
      simulator.kill('SIGKILL');
    }
    await browser.close();
    await db.end();
    await sut.close();
    await tearDownHarness();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `screenshots failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);

import { PlayerClient } from '@gmdesk/sdk';
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { describeWithBrowser, launchBrowser, screenshot, watchForProblems } from './browser';

/** Short access tokens, so that a session must outlive several of them within the test. */
const TOKEN_TTL_SECONDS = 8;

/** A port nobody listens on now, for a gateway that must come back at the same address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

const isRefresh = (response: Response): boolean =>
  new URL(response.url()).pathname === '/auth/refresh' && response.request().method() === 'POST';

/**
 * Sign-in sessions and the live connection in a real browser (issue 13): a session outlives the
 * access token and a reload, and logout ends it; the gateway going away shows "Reconnecting" and
 * the events committed meanwhile arrive once it is back; two GMs on one case see each other and
 * each other's typing. The console's socket goes to a separate gateway process
 * (CONSOLE_GATEWAY_URL), so the test can kill and restart it.
 */
describeWithBrowser('sessions and the live connection in the console', () => {
  let sut: ApiTestContext;
  let gateway: GatewayProcess;
  let gatewayEnv: Record<string, string>;
  let realm: TestRealm;
  let moderator: TestStaff;
  let agent: TestStaff;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    const port = await freePort();
    sut = await ApiTestContext.start({
      staffTokenTtlSeconds: TOKEN_TTL_SECONDS,
      consoleGatewayUrl: `http://127.0.0.1:${port}`,
    });
    gatewayEnv = {
      DATABASE_URL: sut.testApp.database.url,
      PORT: String(port),
      // The console is served by the api, another origin than the gateway's.
      CORS_ORIGINS: new URL(sut.url).origin,
    };
    gateway = await startGatewayProcess(gatewayEnv);
    realm = await sut.newRealm();
    moderator = await sut.newStaff('moderator');
    agent = await sut.newStaff('agent');
    browser = await launchBrowser();
  }, 120_000);

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    if (gateway?.child.exitCode === null) {
      await gateway.stop();
    }
    await sut?.close();
  });

  const openPage = async (): Promise<{
    context: BrowserContext;
    page: Page;
    problems: string[];
  }> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    return { context, page, problems: watchForProblems(page) };
  };

  const signIn = async (page: Page, staff: TestStaff): Promise<void> => {
    await page.goto(`${sut.url}/console`);
    await page.getByLabel('Username').fill(staff.username);
    await page.getByRole('textbox', { name: /^Password/ }).fill(staff.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
  };

  const openTicket = async (player: TestPlayer, subject: string): Promise<string> => {
    const response = await sut
      .http()
      .post('/tickets')
      .set('Authorization', player.auth)
      .send({ category: 'stuck', subject, body: `${subject}. Please help.` })
      .expect(201);
    return (response.body as { id: string }).id;
  };

  const row = (page: Page, text: string) =>
    page.getByRole('listbox', { name: 'Queue' }).getByRole('option').filter({ hasText: text });
  /** A new row arrives: behind the "1 new" pill, or at once into a queue that was empty. */
  const arrives = async (page: Page, text: string, timeout = 15_000): Promise<void> => {
    const pill = page.getByRole('button', { name: '1 new' });
    await row(page, text).or(pill).waitFor({ timeout });
    if (await pill.isVisible()) {
      await pill.click();
    }
    await row(page, text).waitFor();
  };

  it('keeps the GM signed in past the access token’s lifetime and across a reload; sign-out ends it', async () => {
    const { context, page, problems } = await openPage();
    const firstRefresh = page.waitForResponse(isRefresh, { timeout: 20_000 });
    const signedInAt = Date.now();
    await signIn(page, moderator);

    // Renewed before the first token expires, and again after it has: no waiting by the clock.
    expect((await firstRefresh).status()).toBe(200);
    expect((await page.waitForResponse(isRefresh, { timeout: 20_000 })).status()).toBe(200);
    expect(Date.now() - signedInAt).toBeGreaterThan(TOKEN_TTL_SECONDS * 1000);

    // Still working, on REST and live: a new ticket arrives over the socket (reconnected with the
    // renewed token after the gateway ended the first one's session) and its row loads.
    const player = await sut.newPlayer(realm, { name: 'Aldric' });
    await openTicket(player, 'Lost my mount after the first token');
    await arrives(page, 'Lost my mount after the first token');

    // A reload keeps the session: the refresh cookie brings a new token.
    const restored = page.waitForResponse(isRefresh, { timeout: 20_000 });
    await page.reload();
    expect((await restored).status()).toBe(200);
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
    const credential = (await context.cookies()).find((cookie) => cookie.name === 'gmdesk_refresh');
    expect(credential).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });

    // Sign-out ends the session on the server: cookies gone, the old credential refused, a
    // reload shows the sign-in page.
    const loggedOut = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/auth/logout',
    );
    await page.getByRole('button', { name: 'Signed in as Test moderator' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    expect((await loggedOut).status()).toBe(200);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const names = (await context.cookies()).map((cookie) => cookie.name);
    expect(names).not.toContain('gmdesk_refresh');
    expect(names).not.toContain('gmdesk_session');
    const replay = await sut
      .http()
      .post('/auth/refresh')
      .set('Cookie', `gmdesk_refresh=${credential?.value ?? ''}`)
      .set('X-Requested-With', 'gmdesk-console');
    expect([replay.status, (replay.body as { error: { code: string } }).error.code]).toEqual([
      401,
      'token_revoked',
    ]);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
  }, 90_000);

  it('shows Reconnecting while the gateway is gone, then live again with what was committed meanwhile', async () => {
    const { page, problems } = await openPage();
    await signIn(page, moderator);

    await gateway.kill();
    await page.getByText('Reconnecting…').waitFor({ timeout: 15_000 });
    await page.getByRole('status', { name: 'Live updates reconnecting' }).waitFor();
    // Committed while no gateway runs: it is in the staff stream, waiting for the resume.
    const player = await sut.newPlayer(realm, { name: 'Mirelle' });
    await openTicket(player, 'Charged twice during the outage');
    await screenshot(page, 'console-reconnecting');
    gateway = await startGatewayProcess(gatewayEnv);

    await page.getByRole('status', { name: 'Live updates connected' }).waitFor({ timeout: 30_000 });
    await page.getByText('Reconnecting…').waitFor({ state: 'detached' });
    await arrives(page, 'Charged twice during the outage');
    // The browser reports the refused reconnection attempts; nothing else may go wrong.
    expect(
      problems.filter((problem) => !/WebSocket connection to .* failed/.test(problem)),
    ).toEqual([]);
  }, 120_000);

  it('shows two GMs on one case to each other, and who is typing', async () => {
    const reporter = await sut.newPlayer(realm, { name: 'Thokk' });
    const ticketId = await openTicket(reporter, 'Stuck under the bank');
    const playerClient = new PlayerClient({ baseUrl: gateway.url, token: reporter.token });
    clients.push(playerClient);
    await playerClient.connect({ timeoutMs: 15_000 });
    const first = await openPage();
    const second = await openPage();
    await signIn(first.page, moderator);
    await signIn(second.page, agent);

    await first.page.goto(`${sut.url}/console/queue/${ticketId}`);
    await second.page.goto(`${sut.url}/console/queue/${ticketId}`);
    await first.page.getByRole('heading', { name: 'Stuck under the bank' }).waitFor();
    await first.page.getByText('Test agent is also viewing').waitFor();
    await second.page.getByText('Test moderator is also viewing').waitFor();

    // The agent writes a reply: the moderator sees who is typing above the composer. Typing
    // events are ephemeral (one every 3 s while typing), so one sent while a socket was between
    // tokens is lost; the next keystroke sends another.
    const typing = first.page.getByRole('status', { name: 'Typing' });
    await second.page.getByRole('heading', { name: 'Stuck under the bank' }).waitFor();
    await second.page.keyboard.press('r');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await second.page.getByLabel('Reply to the player').pressSequentially('On my way. ');
      const seen = await typing
        .getByText('is typing a reply')
        .waitFor({ timeout: 4_000 })
        .then(() => true)
        .catch(() => false);
      if (seen) {
        break;
      }
    }
    expect(await typing.innerText()).toContain('Test agent is typing a reply');

    // The player types in their ticket: the GMs viewing it see that too.
    expect(await playerClient.typing(ticketId)).toMatchObject({ ok: true });
    await typing.getByText('The player').waitFor();
    await screenshot(first.page, 'console-presence-typing');
    expect(first.problems).toEqual([]);
    expect(second.problems).toEqual([]);
  }, 120_000);
});

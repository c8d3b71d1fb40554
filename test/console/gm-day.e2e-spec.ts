import type { TicketReplyEvent } from '@gmdesk/contracts';
import { PlayerClient } from '@gmdesk/sdk';
import type { Browser, Page } from 'playwright-core';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';
import { describeWithBrowser, launchBrowser, screenshot, watchForProblems } from './browser';

// Strings a hostile player can put in names, subjects and descriptions: all must show as text.
const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_SUBJECT = '<script>alert(2)</script> stuck under the bank';
const XSS_DESCRIPTION =
  'He wrote <img src=x onerror=alert(3)> in chat and posted <a href="javascript:alert(4)">free gold</a> javascript:alert(5) \u202Egnp.exe';
const XSS_PLAYER_NAME = '<script>alert(6)</script>';

describeWithBrowser('a GM works the console in a real browser', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let server: TestGameServer;
  let gm: TestStaff;
  let reporter: TestPlayer;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let player: PlayerClient;
  const replies: TicketReplyEvent[] = [];
  const replyListeners = new Set<() => void>();
  /** Resolves once the player's SDK has processed a reply with this body (maybe already). */
  const replyReceived = (body: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        replyListeners.delete(check);
        reject(new Error(`The player received no reply "${body}" within 10 s.`));
      }, 10_000);
      const check = (): void => {
        if (replies.some((reply) => reply.body === body)) {
          clearTimeout(timer);
          replyListeners.delete(check);
          resolve();
        }
      };
      replyListeners.add(check);
      check();
    });
  const offender = 'gorgrim-666';

  const queue = () => page.getByRole('listbox', { name: 'Queue' });
  const row = (text: string) => queue().getByRole('option').filter({ hasText: text });
  const selectedRow = () => queue().locator('[role="option"][aria-selected="true"]');
  const press = async (key: string): Promise<void> => {
    await page.keyboard.press(key);
  };
  /** Types into whatever has the focus, once the composer field `label` has it (r / n put it there). */
  const typeInto = async (label: string, text: string): Promise<void> => {
    await page.waitForFunction(
      `document.activeElement?.getAttribute('aria-label') === ${JSON.stringify(label)}`,
    );
    await page.keyboard.type(text);
  };

  /** A few ordinary items already waiting when the GM signs in (as on any working day). */
  const seedQueue = async (): Promise<void> => {
    const tickets = [
      ['Lost my Thunderfury after a disconnect', 'lost_item', 'Aldric'],
      ['Cannot log in since the patch', 'account', 'Mirelle'],
      ['Charged twice for the mount bundle', 'billing', 'Thokk'],
    ] as const;
    let first: string | undefined;
    for (const [subject, category, name] of tickets) {
      const author = await sut.newPlayer(realm, { name });
      const created = await sut
        .http()
        .post('/tickets')
        .set('Authorization', author.auth)
        .send({ category, subject, body: `${subject}. Please help.` })
        .expect(201);
      first ??= (created.body as { id: string }).id;
    }
    await sut
      .http()
      .post(`/tickets/${first}/assign`)
      .set('Authorization', gm.auth)
      .send({ assigneeId: gm.id })
      .expect(200);
    for (const name of ['Brannoc', 'Sylwen']) {
      const witness = await sut.newPlayer(realm, { name });
      await sut
        .http()
        .post('/reports')
        .set('Authorization', witness.auth)
        .send({
          reportedPlayerId: 'goldseller-99',
          category: 'rmt',
          description: 'Spamming a gold-selling site in trade chat.',
          occurredAt: new Date().toISOString(),
        })
        .expect(201);
    }
  };
  const seeded = 4;

  beforeAll(async () => {
    // No CORS_ORIGINS: the console is served from the gateway's own host, which it admits.
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    gm = await sut.newStaff('moderator');
    reporter = await sut.newPlayer(realm, { name: XSS_PLAYER_NAME });
    await sut
      .http()
      .put(`/realms/${realm.id}/players/${offender}`)
      .set('Authorization', server.auth)
      .send({ displayName: XSS_NAME })
      .expect(200);
    await seedQueue();
    player = new PlayerClient({ baseUrl: sut.url, token: reporter.token });
    player.on('ticket.reply', (reply) => {
      replies.push(reply);
      for (const listener of [...replyListeners]) {
        listener();
      }
    });
    await player.connect();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    problems = watchForProblems(page);
  }, 60_000);

  afterAll(async () => {
    player?.close();
    await browser?.close();
    await sut?.close();
  });

  it('signs in, sees reports and tickets arrive live, and works them by keyboard', async () => {
    await page.goto(`${sut.url}/console`);
    await page.getByLabel('Username').fill(gm.username);
    await page.getByRole('textbox', { name: /^Password/ }).fill(gm.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
    await queue()
      .getByRole('option')
      .nth(seeded - 1)
      .waitFor();
    const signedInUrl = page.url();

    // A player reports the offender: the case shows up without a reload.
    const filed = await player.fileReport({
      reportedPlayerId: offender,
      category: 'harassment',
      description: XSS_DESCRIPTION,
      occurredAt: new Date().toISOString(),
      location: { zone: 'Molten Core', x: 12, y: 40, z: 3 },
    });
    expect(filed.ok).toBe(true);
    // Rows on screen never move under the GM: arrivals wait behind the "1 new" pill.
    await page.getByRole('button', { name: '1 new' }).click();
    await row(XSS_NAME).waitFor();

    const opened = await player.openTicket({
      category: 'stuck',
      subject: XSS_SUBJECT,
      body: 'I fell through the floor near the bank <img src=x onerror=alert(7)>',
    });
    if (!opened.ok) {
      throw new Error(opened.error.message);
    }
    await page.getByRole('button', { name: '1 new' }).click();
    await row(XSS_SUBJECT).waitFor();
    expect(await queue().getByRole('option').count()).toBe(seeded + 2);
    expect(page.url()).toBe(signedInUrl);
    await screenshot(page, 'console-queue');

    // j / k move the selection; Enter opens the support ticket.
    await press('j');
    const firstId = await selectedRow().getAttribute('data-ticket-id');
    await press('j');
    const secondId = await selectedRow().getAttribute('data-ticket-id');
    expect(secondId).not.toBe(firstId);
    await press('k');
    expect(await selectedRow().getAttribute('data-ticket-id')).toBe(firstId);
    for (let moves = 0; moves < seeded + 2; moves += 1) {
      if ((await selectedRow().getAttribute('data-ticket-id')) === opened.ticket.id) {
        break;
      }
      await press('j');
    }
    expect(await selectedRow().getAttribute('data-ticket-id')).toBe(opened.ticket.id);
    await press('Enter');
    await page.getByRole('heading', { name: XSS_SUBJECT }).waitFor();

    // c: claim the open case (assigned to me), shown at once.
    await press('c');
    await page.getByRole('button', { name: 'Release (c)' }).waitFor();
    await page.getByText('Assigned to You').waitFor();

    // r: a public reply, sent with Ctrl+Enter, reaches the player's SDK.
    await press('r');
    await typeInto('Reply to the player', 'Teleported you to the inn. Safe travels!');
    await press('Control+Enter');
    await page
      .locator('[data-kind="public-reply"]')
      .filter({ hasText: 'Teleported you to the inn' })
      .waitFor();
    await replyReceived('Teleported you to the inn. Safe travels!');

    // n: an internal note, shown as one, never sent to the player.
    await press('Escape');
    await press('n');
    await typeInto('Internal note', 'Fell through the bank floor: known geometry bug.');
    await press('Control+Enter');
    await page
      .locator('[data-kind="internal-note"]')
      .filter({ hasText: 'known geometry bug' })
      .waitFor();
    // A second reply after the note: the player's stream is ordered, so had the note been sent
    // it would have arrived before this one.
    await press('Escape');
    await press('r');
    await typeInto('Reply to the player', 'Anything else?');
    await press('Control+Enter');
    await replyReceived('Anything else?');
    expect(replies.map((reply) => reply.body)).toEqual([
      'Teleported you to the inn. Safe travels!',
      'Anything else?',
    ]);
    await page
      .getByText('I fell through the floor near the bank <img src=x onerror=alert(7)>')
      .waitFor();
    await screenshot(page, 'console-case');

    // The case: reports with the hostile strings as text, a hidden bidi override made visible.
    await press('Escape');
    await queue().waitFor();
    await row(XSS_NAME).click();
    await page.getByText('Reports (1)').waitFor();
    const report = page.getByLabel('Reports');
    await report.getByText('free gold', { exact: false }).waitFor();
    expect(await report.innerText()).toContain(
      'He wrote <img src=x onerror=alert(3)> in chat and posted <a href="javascript:alert(4)">free gold</a> javascript:alert(5)',
    );
    await report.getByText('⟨U+202E⟩').waitFor();
    expect(await report.getByText(XSS_PLAYER_NAME).count()).toBe(1);
    await screenshot(page, 'console-case-reports');

    // Nothing hostile became markup: no injected image, link or script, no dialog, no error.
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 120_000);
});

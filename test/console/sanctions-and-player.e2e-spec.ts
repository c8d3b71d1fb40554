import type { SanctionEvent } from '@gmdesk/contracts';
import { GameServerClient } from '@gmdesk/sdk';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import {
  ApiTestContext,
  signPlayerToken,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';
import { describeWithBrowser, launchBrowser, screenshot, watchForProblems } from './browser';

/**
 * A moderator mutes the offender of a case from the sanction dialog; the realm's game server (an
 * SDK client) receives the sanction and acknowledges it, and the chip turns to enforced on screen
 * without a reload. The moderator then opens the offender's player page. An admin creates a
 * realm, a game server and a staff member, each secret shown once.
 */
describeWithBrowser('sanctions, the player page and admin in a real browser', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let server: TestGameServer;
  let serverName: string;
  let gm: TestStaff;
  let admin: TestStaff;
  let offender: TestPlayer;
  let game: GameServerClient;
  let browser: Browser;
  const problems: string[][] = [];
  const suffix = randomBytes(3).toString('hex');
  const offenderName = `Spamlord${suffix}`;
  const ticketSubject = 'Why was my chat muted?';

  const signIn = async (page: Page, staff: TestStaff): Promise<void> => {
    await page.goto(`${sut.url}/console`);
    await page.getByLabel('Username').fill(staff.username);
    await page.getByRole('textbox', { name: /^Password/ }).fill(staff.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
  };

  const newPage = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    problems.push(watchForProblems(page));
    return page;
  };

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    server = await sut.newGameServer(realm);
    [gm, admin] = await Promise.all([sut.newStaff('moderator'), sut.newStaff('admin')]);
    const servers = await sut
      .http()
      .get(`/realms/${realm.id}/game-servers`)
      .set('Authorization', admin.auth)
      .expect(200);
    serverName = (servers.body as { id: string; name: string }[]).find(
      (entry) => entry.id === server.id,
    )!.name;

    offender = await sut.newPlayer(realm, { accountId: `spam-${suffix}`, name: offenderName });
    await sut
      .http()
      .put(`/realms/${realm.id}/players/${offender.accountId}`)
      .set('Authorization', server.auth)
      .send({ displayName: offenderName })
      .expect(200);
    // Two witnesses report the offender (one case); the offender opens a ticket and files a
    // report of their own.
    for (const name of ['Brannoc', 'Sylwen']) {
      const witness = await sut.newPlayer(realm, { name });
      await sut
        .http()
        .post('/reports')
        .set('Authorization', witness.auth)
        .send({
          reportedPlayerId: offender.accountId,
          category: 'spam',
          description: `${name}: gold-selling links in trade chat, again.`,
          occurredAt: new Date().toISOString(),
        })
        .expect(201);
    }
    await sut
      .http()
      .post('/tickets')
      .set('Authorization', offender.auth)
      .send({ category: 'account', subject: ticketSubject, body: 'I did nothing wrong.' })
      .expect(201);
    await sut
      .http()
      .post('/reports')
      .set('Authorization', offender.auth)
      .send({
        reportedPlayerId: `witness-hunter-${suffix}`,
        category: 'harassment',
        description: 'Revenge report: they reported me.',
        occurredAt: new Date().toISOString(),
      })
      .expect(201);

    game = new GameServerClient({ baseUrl: sut.url, apiKey: server.apiKey });
    await game.connect({ timeoutMs: 10_000 });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    game?.close();
    await browser?.close();
    await sut?.close();
  });

  it('mutes the offender from the case; the chip turns to enforced live when the server acks', async () => {
    const page = await newPage();
    await signIn(page, gm);
    const queue = page.getByRole('listbox', { name: 'Queue' });
    const reports = await sut
      .http()
      .get('/reports')
      .query({ realmId: realm.id, reportedPlayerId: offender.accountId })
      .set('Authorization', gm.auth)
      .expect(200);
    const caseId = (reports.body as { items: { ticketId: string }[] }).items[0].ticketId;
    await queue.locator(`[data-ticket-id="${caseId}"]`).click();
    const sanctions = page.getByRole('region', { name: 'Sanctions' });
    await sanctions.getByText('Sanctions (0)').waitFor();
    // Nothing below may reload the page: the marker would be gone.
    await page.evaluate('window.stillHere = true');

    // s opens the dialog (focus is on the queue row, not in a text field).
    await page.keyboard.press('s');
    const dialog = page.getByRole('dialog', { name: 'Sanction player' });
    await dialog.waitFor();
    await dialog.getByText('Mute', { exact: true }).click();
    await dialog.getByText('1 hour', { exact: true }).click();
    await dialog.getByLabel('Public reason').fill('Advertising gold sellers in trade chat.');
    await dialog.getByLabel('Private note').fill('Third time this week; see both reports.');
    await screenshot(page, 'console-sanction-dialog');
    const received = game.waitFor('sanction.issued', {
      match: (event) => event.playerId === offender.accountId,
      timeoutMs: 10_000,
    });
    await dialog.getByRole('button', { name: 'Issue mute' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The game server receives it; until it acknowledges, the chip says pending.
    const issued: SanctionEvent = await received;
    expect(issued).toMatchObject({
      type: 'mute',
      playerId: offender.accountId,
      publicReason: 'Advertising gold sellers in trade chat.',
      redelivery: false,
    });
    const chip = sanctions.getByRole('listitem').filter({ hasText: serverName });
    await chip.filter({ hasText: `${serverName}: pending` }).waitFor();
    expect(await chip.getAttribute('data-state')).toBe('pending');
    await sanctions.getByText('Sanctions (1)').waitFor();

    // The server acknowledges: the chip turns to enforced, from the staff event alone.
    expect(await game.ackSanction(issued.sanctionId, 'issued')).toMatchObject({ ok: true });
    await chip.filter({ hasText: `${serverName}: enforced` }).waitFor({ timeout: 10_000 });
    expect(await chip.getAttribute('data-state')).toBe('acked');
    expect(await page.evaluate('window.stillHere')).toBe(true);
    await screenshot(page, 'console-sanction-enforced');

    // The offender's player page: the sanction in force, the reports against and filed, the ticket.
    await page.getByRole('link', { name: 'Open player page' }).click();
    await page.getByRole('heading', { name: 'Player' }).waitFor();
    const active = page.getByRole('region', { name: 'Active sanctions' });
    await active.getByText('Active sanctions (1)').waitFor();
    await active.getByText('Advertising gold sellers in trade chat.').waitFor();
    await active
      .getByRole('listitem')
      .filter({ hasText: `${serverName}: enforced` })
      .waitFor();
    const against = page.getByRole('region', { name: 'Reports against this player' });
    await against.getByText('Reports against this player (2)').waitFor();
    await against.getByText('Brannoc: gold-selling links in trade chat, again.').waitFor();
    await against.getByText('Sylwen: gold-selling links in trade chat, again.').waitFor();
    const filed = page.getByRole('region', { name: 'Reports filed by this player' });
    await filed.getByText('Revenge report: they reported me.').waitFor();
    const tickets = page.getByRole('region', { name: 'Tickets' });
    await tickets.getByRole('link', { name: ticketSubject }).waitFor();
    expect(await page.getByLabel('Identity').innerText()).toContain(offenderName);
    await screenshot(page, 'console-player-page');

    // The player search finds the offender by the start of the display name.
    await page.getByRole('link', { name: 'Players' }).click();
    await page.getByLabel('Find a player').fill(offenderName.slice(0, 8).toLowerCase());
    const found = page.getByRole('list', { name: 'Players found' });
    await found.getByRole('link').filter({ hasText: offender.accountId }).click();
    await page
      .getByRole('region', { name: 'Active sanctions' })
      .getByText('Active sanctions (1)')
      .waitFor();
    expect(page.url()).toContain(`/players/${realm.id}/${offender.accountId}`);

    // Lifted from the player page: the server is told, and its chip goes lifting… → lifted.
    const revoked = game.waitFor('sanction.revoked', {
      match: (event) => event.sanctionId === issued.sanctionId,
      timeoutMs: 10_000,
    });
    await page
      .getByRole('region', { name: 'Active sanctions' })
      .getByRole('button', { name: 'Lift mute' })
      .click();
    const lift = page.getByRole('dialog', { name: 'Lift mute' });
    await lift
      .getByLabel('Why it is lifted')
      .fill('Appeal upheld: the links were a guild recruit post.');
    await lift.getByRole('button', { name: 'Lift sanction' }).click();
    await lift.waitFor({ state: 'detached' });
    await revoked;
    const past = page.getByRole('region', { name: 'Past sanctions' });
    await past.getByText('Past sanctions (1)').waitFor();
    const pastChip = past.getByRole('listitem').filter({ hasText: serverName });
    await pastChip.filter({ hasText: `${serverName}: lifting…` }).waitFor();
    expect(await game.ackSanction(issued.sanctionId, 'revoked')).toMatchObject({ ok: true });
    await pastChip.filter({ hasText: `${serverName}: lifted` }).waitFor({ timeout: 10_000 });
    await page
      .getByRole('region', { name: 'Active sanctions' })
      .getByText('Active sanctions (0)')
      .waitFor();

    // The sanctions page lists it with the same chips.
    await page.getByRole('link', { name: 'Sanctions' }).click();
    await page.getByRole('heading', { name: 'Sanctions' }).waitFor();
    const listed = page.locator(`tr[data-sanction-id="${issued.sanctionId}"]`);
    await listed
      .getByRole('listitem')
      .filter({ hasText: `${serverName}: lifted` })
      .waitFor();
    await listed.getByRole('link', { name: offender.accountId }).waitFor();
    await page.mouse.move(700, 600); // no rail tooltip over the table
    await screenshot(page, 'console-sanctions');
    expect(problems.flat()).toEqual([]);
    await page.close();
  }, 120_000);

  it('lets an admin create a realm and a game server (each secret shown once), revoke it and add staff', async () => {
    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin' }).waitFor();

    // A realm: its player-token secret is shown once, and it is the one that signs tokens.
    const realmId = `realm-ui-${suffix}`;
    const realms = page.getByRole('region', { name: 'Realms' });
    await realms.getByRole('button', { name: 'New realm' }).click();
    const newRealm = page.getByRole('dialog', { name: 'New realm' });
    await newRealm.getByLabel('Realm id').fill(realmId);
    await newRealm.getByLabel('Name').fill('EU West (test)');
    await newRealm.getByRole('button', { name: 'Create realm' }).click();
    const realmCreated = page.getByRole('dialog', { name: 'Realm created' });
    const secret = (
      await realmCreated.getByLabel('Player-token secret (HS256)').innerText()
    ).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await realmCreated.getByRole('button', { name: 'Copy' }).waitFor();
    await screenshot(page, 'console-admin-realm-secret');
    await realmCreated.getByRole('button', { name: 'I have stored it' }).click();
    await realmCreated.waitFor({ state: 'detached' });
    await realms.getByRole('cell', { name: realmId, exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    const player = `Bearer ${await signPlayerToken(secret, realmId, `first-${suffix}`)}`;
    await sut.http().get('/tickets').set('Authorization', player).expect(200);

    // A game server of that realm: the key is shown once and works, until it is revoked.
    const servers = page.getByRole('region', { name: 'Game servers' });
    await servers.getByLabel('Realm of the game servers').click();
    await page.getByRole('option', { name: realmId, exact: true }).click();
    await servers.getByRole('button', { name: 'New game server' }).click();
    const newServer = page.getByRole('dialog', { name: 'New game server' });
    await newServer.getByLabel('Server name').fill('shard-a');
    await newServer.getByRole('button', { name: 'Register server' }).click();
    const serverCreated = page.getByRole('dialog', { name: 'Game server registered' });
    const apiKey = (
      await serverCreated.getByLabel('API key (Authorization: ApiKey …)').innerText()
    ).trim();
    expect(apiKey).toMatch(/^gmd_/);
    await serverCreated.getByRole('button', { name: 'I have stored it' }).click();
    await serverCreated.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(apiKey);
    const activeList = `/realms/${realmId}/sanctions/active`;
    await sut.http().get(activeList).set('Authorization', `ApiKey ${apiKey}`).expect(200);
    const row = servers.getByRole('row').filter({ hasText: 'shard-a' });
    await row.getByText('active', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Revoke shard-a' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke game server key' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await row.getByText('revoked', { exact: true }).waitFor();
    await sut.http().get(activeList).set('Authorization', `ApiKey ${apiKey}`).expect(401);

    // A staff member, restricted to the new realm, who can sign in.
    const staff = page.getByRole('region', { name: 'Staff' });
    await staff.getByRole('button', { name: 'New staff member' }).click();
    const newStaff = page.getByRole('dialog', { name: 'New staff member' });
    const username = `gm.ui.${suffix}`;
    await newStaff.getByLabel('Username').fill(username);
    await newStaff.getByLabel('Display name').fill('GM Ui');
    await newStaff.getByLabel('Role', { exact: true }).click();
    await page.getByRole('option', { name: 'moderator', exact: true }).click();
    await newStaff.getByLabel('Initial password').fill('a-long-password-123');
    // A MultiSelect's input sits inside its pill box, which takes the click.
    await newStaff.getByLabel('Realms', { exact: true }).click({ force: true });
    await page.getByRole('option', { name: realmId, exact: true }).click();
    await newStaff.getByText('Username').click();
    await newStaff.getByRole('button', { name: 'Create staff member' }).click();
    await newStaff.waitFor({ state: 'detached' });
    const member = staff.getByRole('row').filter({ hasText: username });
    await member.getByText('moderator').waitFor();
    await member.getByText(realmId).waitFor();
    await screenshot(page, 'console-admin');
    const login = await sut
      .http()
      .post('/auth/login')
      .send({ username, password: 'a-long-password-123' })
      .expect(200);
    expect((login.body as { staff: { realms: string[] } }).staff.realms).toEqual([realmId]);

    expect(problems.flat()).toEqual([]);
    await page.close();
  }, 120_000);
});

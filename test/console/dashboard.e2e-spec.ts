import type { Browser, Page } from 'playwright-core';
import {
  ApiTestContext,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';
import { describeWithBrowser, launchBrowser, screenshot, watchForProblems } from './browser';

/**
 * The dashboard in a real browser: charts drawn (SVG, under the console's strict CSP: a CSP
 * violation is a console error and fails the test), figures kept fresh by /staff events, a
 * bar that opens the queue filtered to it.
 */
describeWithBrowser('the dashboard', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let gm: TestStaff;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let counter = 0;

  const openTicket = async (player: TestPlayer, subject: string): Promise<string> => {
    const response = await sut
      .http()
      .post('/tickets')
      .set('Authorization', player.auth)
      .send({ category: 'stuck', subject, body: 'Help me.' })
      .expect(201);
    return (response.body as { id: string }).id;
  };
  const fileReport = async (reporter: TestPlayer, reported: string): Promise<void> => {
    await sut
      .http()
      .post('/reports')
      .set('Authorization', reporter.auth)
      .send({
        reportedPlayerId: reported,
        category: 'cheating',
        description: 'Speed hack at the bank.',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      })
      .expect(201);
  };
  const player = (): Promise<TestPlayer> =>
    sut.newPlayer(realm, { accountId: `dash-player-${(counter += 1)}` });
  const stat = (label: string) => page.getByTestId(`stat-${label}`);

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    gm = await sut.newStaff('agent');
    // Two cases against one offender (three reports), two support tickets, one answered.
    const [a, b, c] = [await player(), await player(), await player()];
    await fileReport(a, 'dash-offender');
    await fileReport(b, 'dash-offender');
    await fileReport(c, 'dash-other');
    const answered = await openTicket(a, '<img src=x onerror=alert(1)> lost my sword');
    await openTicket(b, 'Stuck in the wall');
    await sut
      .http()
      .post(`/tickets/${answered}/messages`)
      .set('Authorization', gm.auth)
      .send({ body: 'Looking into it.', visibility: 'public' })
      .expect(201);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    page.setDefaultTimeout(10_000);
    problems = watchForProblems(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('draws the figures as charts, updates them live and drills into the queue', async () => {
    await page.goto(`${sut.url}/console`);
    await page.getByLabel('Username').fill(gm.username);
    await page.getByRole('textbox', { name: /^Password/ }).fill(gm.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await stat('Open items').filter({ hasText: /^4$/ }).waitFor();
    await stat('Unassigned').filter({ hasText: /^4$/ }).waitFor();
    await stat('First response, median')
      .filter({ hasText: /^\d+s$/ })
      .waitFor();
    // Charts are SVG drawn by Recharts: bars for the backlog, areas for intake, lines for times.
    // (Zero-valued bars are there but empty, hence visible ones.)
    const bars = page
      .getByTestId('chart-backlog')
      .locator('.recharts-bar-rectangle path')
      .filter({ visible: true });
    await bars.first().waitFor();
    await page.getByTestId('chart-intake').locator('.recharts-area').first().waitFor();
    // One day with answers: the p50/p90 lines are one dot each so far.
    await page
      .getByTestId('chart-response-times')
      .locator('.recharts-line-dots circle, .recharts-line-curve')
      .filter({ visible: true })
      .first()
      .waitFor();
    // The oldest waiting items, player text shown as text.
    const oldest = page.getByTestId('oldest-waiting');
    await oldest.getByText('<img src=x onerror=alert(1)> lost my sword').waitFor();
    await oldest.getByText('Reports against dash-offender', { exact: false }).waitFor();

    // A new ticket: the figures move without a reload (a /staff event, not the 60 s refetch).
    await openTicket(await player(), 'Cannot log in');
    await stat('Open items').filter({ hasText: /^5$/ }).waitFor({ timeout: 10_000 });
    await page
      .getByTestId('chart-intake')
      .getByText('3 reports, 3 support tickets, 2 new cases')
      .waitFor({ timeout: 10_000 });
    await screenshot(page, 'dashboard');

    // A bar opens the queue filtered to its kind and priority.
    await page.getByTestId('chart-backlog').locator('.recharts-bar-rectangle path').first().click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/console/queue');
    expect(url.searchParams.get('kind')).toMatch(/^(moderation|support)$/);
    expect(url.searchParams.get('priority')).toMatch(/^(low|normal|high|urgent)$/);

    expect(problems).toEqual([]);
  }, 60_000);
});

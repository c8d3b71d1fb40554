/**
 * The staff console, measured in a real browser (Debian's Chromium via playwright-core) against a
 * real gmdesk (api + gateway in this process, PostgreSQL as for the e2e tests):
 *
 * 1. report → console: a player files a report (REST `POST /reports`) against an offender with no
 *    open case, so each report opens a new case; measured from the moment the request is sent to
 *    (a) the REST 201, (b) the SDK's StaffClient (Node, same run) receiving its `ticket.created`,
 *    (c) the console showing it in the queue: the "N new" pill counting it (arrivals wait behind
 *    that pill by design, so rows never move under the GM). One report at a time.
 * 2. the initial JS bundle: the scripts index.html loads (and preloads), gzipped, beside React +
 *    ReactDOM alone (the `react` chunk) as the floor any React console pays.
 * 3. time to an interactive queue with N open items: sign-in click → first queue row rendered →
 *    `j` selects it, for a GM who sees 5,000 open items beside one who sees 10 (same run).
 *
 *   npm run bench:console                 # ~2-3 min on the 2-core dev box
 *   BENCH_QUICK=1 npm run bench:console   # smaller sizes, a smoke check
 *
 * Prints a table and writes bench/results/console-<timestamp>.json; asserts nothing.
 */
import { TicketsService, type PlayerPrincipal } from '@gmdesk/core';
import { StaffClient } from '@gmdesk/sdk';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { ApiTestContext, type TestStaff } from '../test/support/api-context';
import { LatencyRecorder, type LatencySummary } from './lib/histogram';
import { latencyTable, ratio, table, type LatencyRow } from './lib/report';
import { forEachLimited, seconds, withTimeout } from './lib/timing';

const QUICK = process.env.BENCH_QUICK === '1';
const SETTINGS = {
  quick: QUICK,
  reports: QUICK ? 40 : 300,
  warmup: QUICK ? 5 : 20,
  openItems: QUICK ? 1_000 : 5_000,
  baselineItems: 10,
  interactiveRuns: QUICK ? 2 : 3,
  ticketConcurrency: 4,
};
const PER_SAMPLE_TIMEOUT_MS = 10_000;
const REPO = join(__dirname, '..');
/** As test/console/browser.ts (not imported: it needs jest's globals). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchBrowser = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const player = (realmId: string, accountId: string): PlayerPrincipal => ({
  kind: 'player',
  realmId,
  accountId,
  expiresAt: new Date(Date.now() + 86_400_000),
});

async function signIn(page: Page, url: string, staff: TestStaff): Promise<void> {
  await page.goto(`${url}/console`);
  await page.getByLabel('Username').fill(staff.username);
  await page.getByRole('textbox', { name: /^Password/ }).fill(staff.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Figure 2: what index.html makes the browser download before the console can start. */
function bundleSizes(): {
  initialGzipBytes: number;
  initialRawBytes: number;
  reactGzipBytes: number;
  dashboardGzipBytes: number;
  files: Record<string, number>;
} {
  const dist = join(REPO, 'dist', 'console');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map(
    (match) => match[1],
  );
  const files: Record<string, number> = {};
  let initialGzipBytes = 0;
  let initialRawBytes = 0;
  for (const file of scripts) {
    const content = readFileSync(join(dist, file));
    files[file] = gzipSync(content, { level: 9 }).length;
    initialGzipBytes += files[file];
    initialRawBytes += content.length;
  }
  const gz = (pattern: RegExp): number => {
    const assets = execFileSync('ls', [join(dist, 'assets')], { encoding: 'utf8' }).split('\n');
    const name = assets.find((file) => pattern.test(file));
    return name ? gzipSync(readFileSync(join(dist, 'assets', name)), { level: 9 }).length : 0;
  };
  return {
    initialGzipBytes,
    initialRawBytes,
    reactGzipBytes: gz(/^react-.*\.js$/),
    dashboardGzipBytes: gz(/^dashboard-page-.*\.js$/),
    files,
  };
}

interface ReportSeries {
  readonly rest: LatencySummary;
  readonly sdk: LatencySummary;
  readonly console: LatencySummary;
}

/** Figure 1. */
async function reportToConsole(
  sut: ApiTestContext,
  page: Page,
  gm: TestStaff,
): Promise<ReportSeries> {
  const realm = await sut.newRealm();
  const rest = new LatencyRecorder();
  const sdk = new LatencyRecorder();
  const browser = new LatencyRecorder();

  // The SDK's own receive time: a StaffClient in this process, as a bot or integration would use.
  const staffClient = new StaffClient({ baseUrl: sut.url, token: gm.token });
  // Reports go one at a time and each opens a case: the next case created is this report's.
  let nextCase: ((at: number) => void) | undefined;
  staffClient.on('ticket.created', (event) => {
    const at = performance.timeOrigin + performance.now();
    if (event.kind === 'moderation' && event.realmId === realm.id) {
      nextCase?.(at);
      nextCase = undefined;
    }
  });
  await staffClient.connect({ timeoutMs: 15_000 });

  // One item already listed: arrivals then wait behind the pill (an empty queue shows its first).
  const first = await sut.newPlayer(realm);
  await sut
    .http()
    .post('/tickets')
    .set('Authorization', first.auth)
    .send({ category: 'stuck', subject: 'Already waiting', body: 'Stuck.' })
    .expect(201);
  await signIn(page, sut.url, gm);
  await page.getByRole('listbox', { name: 'Queue' }).getByRole('option').first().waitFor();
  await page.getByRole('heading', { name: 'Queue' }).waitFor();
  await page.getByRole('status', { name: 'Live updates connected' }).waitFor();
  // The pill's count, time-stamped in the page (same clock as this process: one machine).
  // (A string: this file is compiled without the DOM library.)
  await page.evaluate(`(() => {
    window.__pill = [];
    let last = 0;
    const read = () => {
      for (const button of document.querySelectorAll('button')) {
        const match = /^(\\d+) new$/.exec((button.textContent || '').trim());
        if (match && Number(match[1]) !== last) {
          last = Number(match[1]);
          window.__pill.push([last, performance.timeOrigin + performance.now()]);
        }
      }
    };
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  })()`);
  const pillReached = async (count: number): Promise<number> => {
    // A function, not a string: the console's CSP (no 'unsafe-eval') refuses evaluated strings.
    const handle = await page.waitForFunction(
      (n) =>
        (globalThis as unknown as { __pill: Array<[number, number]> }).__pill.find(
          ([c]) => c >= n,
        )?.[1] ?? false,
      count,
      { timeout: PER_SAMPLE_TIMEOUT_MS, polling: 'raf' },
    );
    return (await handle.jsonValue()) as number;
  };

  const total = SETTINGS.warmup + SETTINGS.reports;
  const reporters = await Promise.all(
    Array.from({ length: total }, (_, i) =>
      sut.newPlayer(realm, { accountId: `bench-reporter-${i}` }),
    ),
  );
  for (let i = 0; i < total; i += 1) {
    const measuring = i >= SETTINGS.warmup;
    const sdkAt = withTimeout(
      new Promise<number>((resolve) => (nextCase = resolve)),
      PER_SAMPLE_TIMEOUT_MS,
      'the SDK',
    );
    const sentAt = performance.timeOrigin + performance.now();
    const response = await sut
      .http()
      .post('/reports')
      .set('Authorization', reporters[i].auth)
      .send({
        reportedPlayerId: `bench-offender-${i}`,
        category: 'cheating',
        description: 'Speed hack in the arena.',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      });
    const restAt = performance.timeOrigin + performance.now();
    if (response.status !== 201) {
      throw new Error(
        `POST /reports answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    const [sdkResult, consoleResult] = await Promise.allSettled([sdkAt, pillReached(i + 1)]);
    if (!measuring) {
      continue;
    }
    rest.record(restAt - sentAt);
    if (sdkResult.status === 'fulfilled') {
      sdk.record(sdkResult.value - sentAt);
    } else {
      sdk.lost();
    }
    if (consoleResult.status === 'fulfilled') {
      browser.record(consoleResult.value - sentAt);
    } else {
      if (browser.summary().lost === 0) {
        log(`  first lost console sample: ${String(consoleResult.reason)}`);
      }
      browser.lost();
    }
  }
  staffClient.close();
  if (browser.summary().lost > 0) {
    log(
      `  console samples lost; pill readings ${String(await page.evaluate('JSON.stringify(window.__pill.slice(-5))'))}, ` +
        `buttons ${String(await page.evaluate(`[...document.querySelectorAll('button')].map((b) => b.textContent).join(' | ')`))}`,
    );
  }
  return { rest: rest.summary(), sdk: sdk.summary(), console: browser.summary() };
}

/** Figure 3: sign-in click → first row rendered → `j` selected it. */
async function timeToInteractive(
  page: Page,
  url: string,
  staff: TestStaff,
): Promise<{ firstRowMs: number; interactiveMs: number; rowsInDom: number }> {
  await page.goto(`${url}/console`);
  await page.getByLabel('Username').fill(staff.username);
  await page.getByRole('textbox', { name: /^Password/ }).fill(staff.password);
  const started = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await queue.getByRole('option').first().waitFor({ timeout: 30_000 });
  const firstRowMs = performance.now() - started;
  await page.keyboard.press('j');
  await queue.locator('[role="option"][aria-selected="true"]').waitFor({ timeout: 30_000 });
  const interactiveMs = performance.now() - started;
  const rowsInDom = await queue.getByRole('option').count();
  return { firstRowMs, interactiveMs, rowsInDom };
}

async function main(): Promise<void> {
  const started = Date.now();
  setTimeout(() => {
    process.stderr.write('\nbench aborted: over its 15 min budget\n');
    process.exit(2);
  }, 15 * 60_000).unref();
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    kernel: release(),
    node: process.version,
  };
  log('gmdesk console bench');
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryMb} MB, Linux ${machine.kernel}, node ${machine.node}`,
  );
  log(
    `settings: ${QUICK ? 'BENCH_QUICK ' : ''}${SETTINGS.reports} reports (+${SETTINGS.warmup} warm-up), one at a time; ` +
      `${SETTINGS.openItems} open items vs ${SETTINGS.baselineItems}; Chromium headless at 1440x900`,
  );

  log('\nbuilding the console (skipped when unchanged)…');
  execFileSync(process.execPath, [join(REPO, 'apps', 'console', 'scripts', 'build-console.mjs')], {
    stdio: 'inherit',
  });
  const bundle = bundleSizes();

  log('preparing PostgreSQL and the migrated template database…');
  await globalSetup();
  const browser = await launchBrowser();
  try {
    const sut = await ApiTestContext.start({ rateLimitPerMinute: 1_000_000 }, { gateway: true });
    try {
      const gm = await sut.newStaff('moderator');
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

      log(`\n[1/2] report → SDK and → console queue (${seconds(started)})`);
      const reports = await reportToConsole(sut, page, gm);
      await page.close();

      log(`[2/2] time to interactive queue (${seconds(started)})`);
      const big = await sut.newRealm();
      const small = await sut.newRealm();
      const tickets = sut.get(TicketsService);
      const seeded = Date.now();
      await forEachLimited(
        SETTINGS.openItems + SETTINGS.baselineItems,
        SETTINGS.ticketConcurrency,
        async (i) => {
          const realm = i < SETTINGS.openItems ? big : small;
          await tickets.openSupportTicket(player(realm.id, `bench-tti-${i}`), {
            category: 'stuck',
            subject: `Stuck in a wall ${i}`,
            body: 'I cannot move.',
          });
        },
      );
      log(
        `  ${SETTINGS.openItems + SETTINGS.baselineItems} support tickets opened through TicketsService (${((Date.now() - seeded) / 1000).toFixed(1)} s)`,
      );
      const bigGm = await sut.newStaff('agent', { realms: [big.id] });
      const smallGm = await sut.newStaff('agent', { realms: [small.id] });
      const runs = { big: [] as number[], small: [] as number[], bigFirstRow: [] as number[] };
      let rowsInDom = 0;
      for (let run = 0; run < SETTINGS.interactiveRuns; run += 1) {
        for (const [name, staff] of [
          ['small', smallGm],
          ['big', bigGm],
        ] as const) {
          const tab = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          const result = await timeToInteractive(tab, sut.url, staff);
          await tab.close();
          runs[name].push(result.interactiveMs);
          if (name === 'big') {
            runs.bigFirstRow.push(result.firstRowMs);
            rowsInDom = result.rowsInDom;
          }
        }
      }
      const median = (values: number[]): number =>
        [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

      const latencyRows: LatencyRow[] = [
        {
          figure: 'report POST → REST 201 (committed)',
          n: `${SETTINGS.reports}`,
          measured: reports.rest,
        },
        {
          figure: 'report POST → SDK StaffClient ticket.created',
          n: `${SETTINGS.reports}`,
          measured: reports.sdk,
          baseline: reports.rest,
        },
        {
          figure: 'report POST → console queue shows it ("N new")',
          n: `${SETTINGS.reports}`,
          measured: reports.console,
          baseline: reports.sdk,
        },
      ];
      const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
      const interactive = {
        openItems: SETTINGS.openItems,
        baselineItems: SETTINGS.baselineItems,
        medianInteractiveMs: median(runs.big),
        medianFirstRowMs: median(runs.bigFirstRow),
        baselineMedianInteractiveMs: median(runs.small),
        runs,
        rowsInDom,
      };
      log(`\nresults (total ${seconds(started)})\n`);
      log('latency, ms (the baseline column is the row above: SDK vs REST 201, console vs SDK)');
      log(latencyTable(latencyRows));
      log('');
      log(
        table(
          ['figure', 'measured', 'baseline', 'ratio'],
          [
            [
              'initial JS, gzipped (index.html scripts + preloads)',
              kb(bundle.initialGzipBytes),
              `${kb(bundle.reactGzipBytes)} (React + ReactDOM chunk)`,
              `${ratio(bundle.initialGzipBytes, bundle.reactGzipBytes)?.toFixed(2) ?? '—'}×`,
            ],
            ['dashboard chunk (lazy, charts), gzipped', kb(bundle.dashboardGzipBytes), '—', '—'],
            [
              `sign-in → queue interactive, ${SETTINGS.openItems} open (median of ${SETTINGS.interactiveRuns})`,
              `${interactive.medianInteractiveMs.toFixed(0)} ms (first row ${interactive.medianFirstRowMs.toFixed(0)} ms)`,
              `${interactive.baselineMedianInteractiveMs.toFixed(0)} ms (${SETTINGS.baselineItems} open)`,
              `${ratio(interactive.medianInteractiveMs, interactive.baselineMedianInteractiveMs)?.toFixed(2) ?? '—'}×`,
            ],
          ],
        ),
      );
      log(`  queue rows in the DOM with ${SETTINGS.openItems} open: ${rowsInDom} (virtualised)`);

      const results = {
        bench: 'console',
        startedAt: new Date(started).toISOString(),
        durationSeconds: (Date.now() - started) / 1000,
        machine,
        settings: SETTINGS,
        latency: latencyRows.map((row) => ({
          ...row,
          ratioP99: ratio(row.measured.p99, row.baseline?.p99) ?? null,
        })),
        bundle,
        interactive,
      };
      const folder = join(__dirname, 'results');
      mkdirSync(folder, { recursive: true });
      const file = join(
        folder,
        `console-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`,
      );
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      log(`\nwritten: ${file}`);
    } finally {
      await sut.close();
    }
  } finally {
    await browser.close();
    await withTimeout(tearDownHarness(), 30_000, 'PostgreSQL to stop');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    void withTimeout(tearDownHarness(), 15_000, 'teardown')
      .catch(() => undefined)
      .finally(() => process.exit(1));
  },
);

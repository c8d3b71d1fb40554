import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/**
 * `describe` when Chromium is there; without it the browser tests are skipped with a notice,
 * except in CI (`CI=true`), where they run and fail.
 */
export const describeWithBrowser: jest.Describe =
  existsSync(CHROMIUM) || process.env.CI === 'true'
    ? describe
    : (() => {
        console.warn(
          `Skipping the console's browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium).`,
        );
        return describe.skip;
      })();

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Everything on a page that must not happen: an alert/confirm/prompt (an injected handler ran),
 * an uncaught error, a console error (CSP violations are reported there too).
 */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()}`);
    }
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// jest runs global setup outside its module system: relative imports only (no path aliases).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import harnessSetup from '../../libs/testing/src/global-setup';

/**
 * The database harness every e2e project shares, then the console build the browser tests load
 * (skipped in a few milliseconds when dist/console was built from the same sources).
 */
export default async function globalSetup(): Promise<void> {
  await harnessSetup();
  const repo = join(__dirname, '..', '..');
  const build = spawnSync(
    process.execPath,
    [join(repo, 'apps', 'console', 'scripts', 'build-console.mjs'), '--quiet'],
    { cwd: repo, stdio: 'inherit' },
  );
  if (build.status !== 0) {
    throw new Error('The console build failed (see above).');
  }
}

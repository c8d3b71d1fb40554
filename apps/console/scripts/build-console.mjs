// @ts-check
/**
 * Builds the console into dist/console, unless the build there was made from the same sources.
 *
 * `npm start` runs this on every start: a fresh clone builds once (a few seconds), later starts
 * compare a hash of everything the bundle is made of (the console's sources and config, the
 * libs it compiles in, and the lockfile for the dependencies) with the stamp written beside the
 * last build, and skip the build when they match. `--force` builds anyway.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(repo, 'dist', 'console');
const stampFile = join(outDir, '.source-hash');
const inputs = [
  'apps/console/src',
  'apps/console/public',
  'apps/console/index.html',
  'apps/console/vite.config.mts',
  'apps/console/tsconfig.json',
  'apps/console/scripts/build-console.mjs',
  'libs/contracts/src',
  'libs/sdk/src',
  'package-lock.json',
];

/** @param {string} path @returns {string[]} */
function files(path) {
  if (!existsSync(path)) {
    return [];
  }
  if (!statSync(path).isDirectory()) {
    return [path];
  }
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name.endsWith('.spec.ts') ? [] : files(join(path, name))));
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of files(join(repo, input))) {
      hash.update(relative(repo, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

const started = Date.now();
const hash = sourceHash();
const force = process.argv.includes('--force');
const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
const quiet = process.argv.includes('--quiet');

if (!force && stamp === hash && existsSync(join(outDir, 'index.html'))) {
  if (!quiet) {
    console.log(`console: up to date (checked in ${Date.now() - started} ms)`);
  }
  process.exit(0);
}

console.log('console: building apps/console → dist/console …');
const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(
  process.execPath,
  [
    vite,
    'build',
    '--config',
    join(repo, 'apps', 'console', 'vite.config.mts'),
    '--logLevel',
    'warn',
  ],
  // Always a production build: under jest (NODE_ENV=test, the console tests' global setup) Vite
  // would otherwise bundle React's development build, and npm start would serve it later.
  { cwd: repo, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
);
if (result.status !== 0) {
  console.error('console: the build failed');
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, `${hash}\n`);
console.log(`console: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

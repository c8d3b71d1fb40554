// @ts-check
/**
 * `nest build platform`, unless dist/ already holds a build of the same sources.
 *
 * `npm start` runs this on every start. A fresh clone builds once; later starts hash everything
 * the build is made of (the server apps' and libs' TypeScript, the tsconfigs, nest-cli.json and
 * the lockfile) and compare it with the stamp written beside the last build: unchanged sources
 * skip the 10-40 s of `tsc`, so a restart serves within seconds. `--force` builds anyway.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(repo, 'dist', 'apps', 'platform', 'apps', 'platform', 'src', 'main.js');
const stampFile = join(repo, 'dist', 'apps', 'platform', '.source-hash');
const inputs = [
  'apps/api',
  'apps/gateway',
  'apps/worker',
  'apps/platform',
  'libs',
  'tsconfig.json',
  'nest-cli.json',
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
    .flatMap((name) =>
      name === 'node_modules' || /\.(spec|integration-spec)\.ts$/.test(name)
        ? []
        : files(join(path, name)),
    );
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
const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (!process.argv.includes('--force') && stamp === hash && existsSync(entry)) {
  console.log(`platform: up to date (checked in ${Date.now() - started} ms)`);
  process.exit(0);
}

console.log('platform: building (nest build platform) …');
const nest = join(repo, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const result = spawnSync(process.execPath, [nest, 'build', 'platform'], {
  cwd: repo,
  stdio: 'inherit',
});
if (result.status !== 0) {
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, `${hash}\n`);
console.log(`platform: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// @ts-check
/**
 * `npm start`'s build step: the platform (`nest build platform`, see tools/build-platform.mjs),
 * then the console (apps/console/scripts/build-console.mjs), each only when its sources changed. One process that npm can signal:
 * npm 11 forwards SIGTERM/SIGINT to the script's process only, and `sh -c a && b` would die
 * without passing it on, leaving a build running. Here the running step gets the signal, and
 * this process exits with it.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  [process.execPath, [join(repo, 'tools', 'build-platform.mjs')]],
  [process.execPath, [join(repo, 'apps', 'console', 'scripts', 'build-console.mjs')]],
];

/** @type {import('node:child_process').ChildProcess | undefined} */
let running;
let stopping = false;
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.on(signal, () => {
    stopping = true;
    running?.kill(signal);
  });
}

for (const [command, args] of steps) {
  if (stopping) {
    process.exit(1);
  }
  /** @type {number} */
  const code = await new Promise((resolve) => {
    running = spawn(command, args, { cwd: repo, stdio: 'inherit' });
    running.on('exit', (exitCode, signal) => resolve(signal ? 1 : (exitCode ?? 1)));
    running.on('error', () => resolve(1));
  });
  running = undefined;
  if (code !== 0 || stopping) {
    process.exit(code || 1);
  }
}

import { spawnSync } from 'node:child_process';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis answers, synchronously (jest registers tests synchronously, so whether a describe
 * block runs or skips must be known at load time). Asks a child process to PING.
 */
export function redisAnswersSync(url = TEST_REDIS_URL): boolean {
  const { hostname, port } = new URL(url);
  const script = `
    const socket = require('node:net').connect(${Number(port) || 6379}, ${JSON.stringify(hostname)});
    socket.setTimeout(2000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 5000 }).status === 0;
}

/**
 * `describe` for tests that need Redis: runs them when it answers; in CI a missing Redis throws
 * (the suite fails); elsewhere they are skipped with a visible notice.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisAnswersSync()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(
      `Redis at ${TEST_REDIS_URL} does not answer; "${name}" must not be skipped in CI`,
    );
  }
  process.stderr.write(
    `\n  NOTICE: Redis at ${TEST_REDIS_URL} does not answer: skipping "${name}".\n\n`,
  );
  describe.skip(name, body);
}

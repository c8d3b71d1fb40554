import { createClient } from 'redis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the Redis-backed (multi-node) tests can run. In CI an unreachable Redis is a failure,
 * never a skip; on a developer machine those tests skip with a visible notice.
 */
export async function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(
        `Redis at ${url} does not answer; multi-node tests must not be skipped in CI`,
        { cause: error },
      );
    }
    process.stderr.write(
      `\n  NOTICE: Redis at ${url} does not answer: skipping the multi-node gateway tests.\n\n`,
    );
    return false;
  } finally {
    await client.quit().catch(() => undefined);
  }
}

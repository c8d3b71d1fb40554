// jest runs global setup outside its module system, so tsconfig path aliases do not resolve here.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  assertDatabaseReachable,
  runMigrations,
  startEmbeddedPostgres,
  withDatabaseName,
} from '../../db/src';
import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from './harness-env';

interface HarnessState {
  stopEmbedded?: () => Promise<void>;
  embeddedDirectory?: string;
  serverUrl: string;
  template: string;
}

const STATE_KEY = '__gmdeskTestHarness';
type GlobalWithHarness = typeof globalThis & { [STATE_KEY]?: HarnessState };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs once per jest run (each project lists it; the second call finds the state and returns):
 * PostgreSQL from DATABASE_URL, or an embedded throw-away cluster; then the full migration chain
 * into a template database that every test file clones. In CI an unreachable database fails the
 * run here instead of letting tests skip.
 */
export default async function globalSetup(): Promise<void> {
  const global = globalThis as GlobalWithHarness;
  if (global[STATE_KEY]) {
    return;
  }
  process.env.TZ = 'UTC';
  const state: HarnessState = { serverUrl: '', template: '' };
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    try {
      await assertDatabaseReachable(databaseUrl);
    } catch (error) {
      throw new Error(
        `DATABASE_URL is set but PostgreSQL does not answer${process.env.CI === 'true' ? ' (CI: failing, not skipping)' : ''}`,
        { cause: error },
      );
    }
    state.serverUrl = databaseUrl;
  } else {
    const directory = await mkdtemp(join(tmpdir(), 'gmdesk-test-pg-'));
    // PostgreSQL runs as the `postgres` OS user when we are root; it must be able to enter the folder.
    await chmod(directory, 0o755);
    const running = await startEmbeddedPostgres({
      directory: join(directory, 'data'),
      port: await freePort(),
      database: 'gmdesk',
      throwAway: true,
    });
    state.serverUrl = running.url;
    state.embeddedDirectory = directory;
    state.stopEmbedded = () => running.stop();
  }

  state.template = `gmdesk_template_${randomBytes(5).toString('hex')}`;
  const client = new Client({ connectionString: state.serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${state.template}"`);
  } finally {
    await client.end();
  }
  // runMigrations disconnects when done: CREATE DATABASE … TEMPLATE needs an idle template.
  await runMigrations(withDatabaseName(state.serverUrl, state.template));

  global[STATE_KEY] = state;
  process.env[TEST_SERVER_URL_ENV] = state.serverUrl;
  process.env[TEST_TEMPLATE_ENV] = state.template;
}

export async function tearDownHarness(): Promise<void> {
  const global = globalThis as GlobalWithHarness;
  const state = global[STATE_KEY];
  if (!state) {
    return;
  }
  delete global[STATE_KEY];
  if (state.stopEmbedded) {
    await state.stopEmbedded();
    if (state.embeddedDirectory) {
      await rm(state.embeddedDirectory, { recursive: true, force: true });
    }
    return;
  }
  const client = new Client({ connectionString: state.serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${state.template}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

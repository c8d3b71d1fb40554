import { withDatabaseName } from '@gmdesk/db';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from './harness-env';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run database tests through jest (its global setup prepares PostgreSQL)`,
    );
  }
  return value;
}

async function onServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file, cloned from the migrated template, so files run in
 * parallel without seeing each other's rows and every run exercises the migration chain once.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = requireEnv(TEST_SERVER_URL_ENV);
  const template = requireEnv(TEST_TEMPLATE_ENV);
  const name = `gmdesk_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`),
  );
  return {
    url: withDatabaseName(serverUrl, name),
    name,
    drop: () =>
      onServer(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}

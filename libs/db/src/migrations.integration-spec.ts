import { TEST_SERVER_URL_ENV } from '@gmdesk/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from './data-source';
import { withDatabaseName } from './database-url';
import { MIGRATIONS } from './migrations';

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env[TEST_SERVER_URL_ENV] });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  const name = `gmdesk_migrations_${randomBytes(5).toString('hex')}`;
  let url: string;

  beforeAll(async () => {
    await onServer(`CREATE DATABASE "${name}"`);
    url = withDatabaseName(process.env[TEST_SERVER_URL_ENV] ?? '', name);
  });

  afterAll(() => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it('apply in order on an empty database, then find nothing left to apply', async () => {
    const applied = await runMigrations(url);
    expect(applied).toEqual(MIGRATIONS.map((migration) => new migration().name));
    expect(await runMigrations(url)).toEqual([]);
  });

  it('revert completely and apply again', async () => {
    const dataSource = new DataSource(dataSourceOptions({ url, entities: [], poolSize: 1 }));
    await dataSource.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i += 1) {
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      const tables: { count: string }[] = await dataSource.query(
        `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(Number(tables[0]?.count)).toBe(0);
    } finally {
      await dataSource.destroy();
    }
    expect(await runMigrations(url)).toHaveLength(MIGRATIONS.length);
  });
});

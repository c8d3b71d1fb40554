import type { AppConfig } from '../libs/config/src';

/**
 * Where the tools find gmdesk's database: DATABASE_URL, or the embedded cluster that `npm start`
 * runs in DATA_DIR/postgres (user, password and database as libs/db/src/embedded-postgres.ts
 * creates them).
 */
export function localDatabase(config: AppConfig): {
  readonly url: string;
  readonly embedded: boolean;
  readonly description: string;
} {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, description: 'DATABASE_URL' };
  }
  const port = config.embeddedPostgresPort;
  return {
    url: `postgres://gmdesk:gmdesk@127.0.0.1:${port}/gmdesk`,
    embedded: true,
    description: `the embedded PostgreSQL of npm start (${config.dataDir}/postgres, port ${port})`,
  };
}

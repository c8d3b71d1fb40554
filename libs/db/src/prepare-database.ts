import type { AppConfig } from '@gmdesk/config';
import { runMigrations } from './data-source';
import { assertDatabaseReachable } from './database-probe';
import { resolveDatabase, ResolvedDatabase } from './resolve-database';

/**
 * Boot's database step for every process: find PostgreSQL (DATABASE_URL or embedded), check it
 * answers, and (for processes that own the schema) apply pending migrations.
 */
export async function prepareDatabase(
  config: AppConfig,
  options: { readonly migrate: boolean; readonly log: (message: string) => void },
): Promise<ResolvedDatabase> {
  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    log: options.log,
  });
  try {
    await assertDatabaseReachable(database.url);
    if (options.migrate) {
      const applied = await runMigrations(database.url);
      if (applied.length > 0) {
        options.log(`applied migrations: ${applied.join(', ')}`);
      }
    }
    return database;
  } catch (error) {
    await database.stop();
    throw error;
  }
}

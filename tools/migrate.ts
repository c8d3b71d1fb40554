/**
 * `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded
 * PostgreSQL in DATA_DIR/postgres. The api and `npm start` already migrate at boot; this is for
 * deployments that migrate as a separate step, and for checking a new migration by hand.
 */
import { loadConfig } from '../libs/config/src';
import { runMigrations } from '../libs/db/src/data-source';
import { assertDatabaseReachable } from '../libs/db/src/database-probe';
import { resolveDatabase } from '../libs/db/src/resolve-database';
import { localDatabase } from './local-database';

async function main(): Promise<void> {
  const config = loadConfig();
  const target = localDatabase(config);
  let url = target.url;
  let stop = (): Promise<void> => Promise.resolve();
  if (target.embedded) {
    // A running `npm start` owns the cluster (a second postmaster on the same folder would fail):
    // use it when it answers, otherwise start the cluster just for this run.
    const running = await assertDatabaseReachable(url, 2000).then(
      () => true,
      () => false,
    );
    if (!running) {
      const database = await resolveDatabase({
        dataDir: config.dataDir,
        embeddedPort: config.embeddedPostgresPort,
        log: (message) => void process.stdout.write(`migrate: ${message}\n`),
      });
      url = database.url;
      stop = () => database.stop();
    }
  }
  try {
    const applied = await runMigrations(url);
    process.stdout.write(
      applied.length > 0
        ? `migrate: applied ${applied.join(', ')} to ${target.description}\n`
        : `migrate: ${target.description} is up to date\n`,
    );
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { loadConfig, type AppConfig } from '@gmdesk/config';
import { prepareDatabase, type ResolvedDatabase } from '@gmdesk/db';
import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { RuntimeModule } from './runtime.module';

export interface BootedRuntime {
  readonly config: AppConfig;
  readonly database: ResolvedDatabase;
  /** A root module: RuntimeModule plus the given feature modules. */
  rootModule(features: readonly (Type | DynamicModule)[]): Type;
}

/** Prints one line and exits 1: boot failures are messages for a person, not stack traces. */
export function exitWithError(process_: string, what: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`gmdesk ${process_}: ${what}: ${message}\n`);
  process.exit(1);
}

/**
 * The first steps of every process: validated config, then PostgreSQL (DATABASE_URL, or the
 * embedded cluster when unset), checked and, where `migrate`, migrated, before Nest starts.
 */
export async function bootRuntime(
  name: string,
  options: { readonly migrate: boolean },
): Promise<BootedRuntime> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    exitWithError(name, 'configuration', error);
  }
  const database = await prepareDatabase(config, {
    migrate: options.migrate,
    log: (message) => void process.stdout.write(`gmdesk ${name}: ${message}\n`),
  }).catch((error: unknown) => exitWithError(name, 'database', error));
  return {
    config,
    database,
    rootModule(features) {
      @Module({
        imports: [
          RuntimeModule.forRoot({
            config,
            databaseUrl: database.url,
            applicationName: name,
            onShutdown: () => database.stop(),
          }),
          ...features,
        ],
      })
      class RootModule {}
      return RootModule;
    },
  };
}

const SHUTDOWN_DEADLINE_MS = 20_000;

/**
 * SIGTERM/SIGINT: close the app (stop accepting, drain, run shutdown hooks: the pool closes and
 * the embedded PostgreSQL stops last), then exit 0. Used instead of Nest's enableShutdownHooks,
 * which re-raises the signal and so always ends with "killed by SIGTERM" (143).
 */
export function exitGracefullyOnSignals(app: INestApplicationContext, name: string): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      return;
    }
    closing = true;
    process.stdout.write(`gmdesk ${name}: ${signal} received, shutting down\n`);
    const deadline = setTimeout(() => {
      process.stderr.write(
        `gmdesk ${name}: shutdown took over ${SHUTDOWN_DEADLINE_MS} ms, exiting\n`,
      );
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => exitWithError(name, 'shutdown failed', error),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

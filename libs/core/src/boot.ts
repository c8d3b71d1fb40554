import { loadConfig, type AppConfig } from '@gmdesk/config';
import { prepareDatabase, type ResolvedDatabase } from '@gmdesk/db';
import {
  DynamicModule,
  INestApplication,
  INestApplicationContext,
  Module,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { RuntimeModule, type RuntimeOptions } from './runtime.module';
import { applyHttpServerTimeouts } from './server-timeouts';

/**
 * One part of a gmdesk process: a feature module together with the transport set-up it needs on
 * the Nest app. Each app exports its role (`apiRole`, `gatewayRole`, `workerRole`); a process is
 * a list of roles, so a module cannot be mounted without its set-up (STYLE §2.9).
 */
export type ProcessRole = ServingRole | BackgroundRole;

/** A role served on the process's HTTP server (REST, or socket.io attached to it). */
export interface ServingRole {
  readonly name: string;
  readonly module: Type | DynamicModule;
  readonly serves: true;
  /** Applies migrations at boot: the process that owns the schema (the api). */
  readonly ownsSchema?: boolean;
  /** Pipes, filters, adapters, socket.io settings: everything before listen. */
  configure(app: INestApplication, config: AppConfig): void | Promise<void>;
}

/** A role without a transport (the worker): alone, it runs in an application context. */
export interface BackgroundRole {
  readonly name: string;
  readonly module: Type | DynamicModule;
  readonly serves: false;
  readonly ownsSchema?: boolean;
}

export type ComposedApp =
  | { readonly serves: true; readonly app: INestApplication }
  | { readonly serves: false; readonly app: INestApplicationContext };

/**
 * THE composition of a gmdesk Nest app, shared by every entry point (platform, api, gateway,
 * worker) and by the test harness, so that they cannot drift: RuntimeModule plus the roles'
 * modules, the logger, then each serving role's set-up in the order given. It does not listen.
 */
export async function composeApp(
  runtime: RuntimeOptions,
  roles: readonly ProcessRole[],
  options: { readonly quiet?: boolean } = {},
): Promise<ComposedApp> {
  if (roles.length === 0) {
    throw new Error('a process needs at least one role');
  }
  @Module({ imports: [RuntimeModule.forRoot(runtime), ...roles.map((role) => role.module)] })
  class RootModule {}

  // Nest's own boot lines: buffered and replayed through pino, or dropped in tests.
  const logging = options.quiet ? { logger: false as const } : { bufferLogs: true };
  const serving = roles.filter((role): role is ServingRole => role.serves);
  if (serving.length === 0) {
    const app = await NestFactory.createApplicationContext(RootModule, logging);
    app.useLogger(app.get(Logger));
    return { serves: false, app };
  }
  // The api installs its own body parsers with explicit limits (apps/api/src/http/body-parsing.ts).
  const app = await NestFactory.create(RootModule, { bodyParser: false, ...logging });
  app.useLogger(app.get(Logger));
  // Every serving process (api, gateway, platform) bounds slow and half-sent requests alike.
  applyHttpServerTimeouts(app.getHttpServer() as Server, runtime.config);
  for (const role of serving) {
    await role.configure(app, runtime.config);
  }
  return { serves: true, app };
}

export interface BootedRuntime {
  readonly config: AppConfig;
  readonly database: ResolvedDatabase;
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
  return { config, database };
}

export interface StartedProcess {
  readonly app: INestApplicationContext;
  readonly config: AppConfig;
  /** Where it listens; undefined for a process without a serving role (the worker). */
  readonly url?: string;
  readonly embeddedDatabase: boolean;
}

/**
 * A whole process (`npm start` is `startProcess('platform', PLATFORM_ROLES)`): boot, compose,
 * exit cleanly on signals, listen on PORT/HOST when a role serves. Migrates when a role owns the
 * schema. A failure after PostgreSQL started stops it again, so a bad PORT leaves nothing behind.
 */
export function startProcess(
  name: string,
  roles: readonly [ServingRole, ...ProcessRole[]],
): Promise<StartedProcess & { readonly url: string }>;
export function startProcess(name: string, roles: readonly ProcessRole[]): Promise<StartedProcess>;
export async function startProcess(
  name: string,
  roles: readonly ProcessRole[],
): Promise<StartedProcess> {
  const { config, database } = await bootRuntime(name, {
    migrate: roles.some((role) => role.ownsSchema === true),
  });
  let composed: ComposedApp | undefined;
  try {
    composed = await composeApp(
      {
        config,
        databaseUrl: database.url,
        applicationName: name,
        onShutdown: () => database.stop(),
      },
      roles,
    );
    exitGracefullyOnSignals(composed.app, name);
    const url = composed.serves ? await listen(composed.app, config) : undefined;
    return { app: composed.app, config, url, embeddedDatabase: database.embedded };
  } catch (error) {
    // app.close() runs the shutdown hook that stops the database; without an app, stop it here.
    await (composed ? composed.app.close() : database.stop()).catch(() => undefined);
    return exitWithError(name, 'startup failed', error);
  }
}

async function listen(app: INestApplication, config: AppConfig): Promise<string> {
  await app.listen(config.port, config.host);
  const address = (app.getHttpServer() as { address(): unknown }).address();
  const port =
    typeof address === 'object' && address !== null
      ? (address as { port: number }).port
      : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${port}`;
}

const SHUTDOWN_DEADLINE_MS = 20_000;

/**
 * SIGTERM/SIGINT: close the app (stop accepting, drain, run shutdown hooks: the pool closes and
 * the embedded PostgreSQL stops last), then exit 0. Used instead of Nest's enableShutdownHooks,
 * which re-raises the signal and so always ends with "killed by SIGTERM" (143).
 *
 * A repeated signal is ignored, not fatal: Ctrl-C under `npm start` arrives twice (the terminal
 * signals the whole process group, and npm forwards its own copy to us), and the second one must
 * not kill the process half-way through its shutdown. The deadline still bounds the shutdown.
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
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

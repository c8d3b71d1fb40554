import type { AppConfig } from '@gmdesk/config';
import { composeApp, type ProcessRole, type ServingRole } from '@gmdesk/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestAppOptions<Roles extends readonly ProcessRole[]> {
  readonly config: AppConfig;
  /** The process shape, as the real entry points list it: e.g. [apiRole] or PLATFORM_ROLES. */
  readonly roles: Roles;
  /**
   * Another process on the same database (several api processes, say). Its owner drops it; this
   * app leaves it alone on close.
   */
  readonly database?: TestDatabase;
}

export interface TestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly database: TestDatabase;
  readonly config: AppConfig;
  close(): Promise<void>;
}

export interface TestContext {
  readonly app: INestApplicationContext;
  readonly database: TestDatabase;
  readonly config: AppConfig;
  close(): Promise<void>;
}

/**
 * A real app on a real database of its own, listening on a random port. Composed by the same
 * `composeApp` as every entry point, so the tests run the set-up that production runs.
 */
export async function startTestApp(
  options: TestAppOptions<readonly [ServingRole, ...ProcessRole[]]>,
): Promise<TestApp> {
  const owned = options.database === undefined;
  const database = options.database ?? (await createTestDatabase());
  const { config } = options;
  const composed = await composeApp(
    { config, databaseUrl: database.url, applicationName: 'test' },
    options.roles,
    { quiet: true },
  ).catch(async (error: unknown) => {
    if (owned) {
      await database.drop();
    }
    throw error;
  });
  if (!composed.serves) {
    throw new Error('unreachable: the first role serves');
  }
  const { app } = composed;
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    database,
    config,
    async close() {
      await app.close();
      if (owned) {
        await database.drop();
      }
    },
  };
}

/** A process without a serving role (the worker) on a database of its own: no port. */
export async function startTestContext(
  options: TestAppOptions<readonly ProcessRole[]>,
): Promise<TestContext> {
  const database = await createTestDatabase();
  const { config } = options;
  const { app } = await composeApp(
    { config, databaseUrl: database.url, applicationName: 'test' },
    options.roles,
    { quiet: true },
  ).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

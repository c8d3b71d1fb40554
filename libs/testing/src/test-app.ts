import type { AppConfig } from '@gmdesk/config';
import { RuntimeModule } from '@gmdesk/core';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestAppOptions {
  readonly config: AppConfig;
  /** Feature modules on top of RuntimeModule, e.g. [ApiModule]. */
  readonly features: (Type | DynamicModule)[];
  /** Transport setup the real main does (pipes, filters, body parsing, docs). */
  readonly configure?: (app: INestApplication, config: AppConfig) => void | Promise<void>;
}

export interface TestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly database: TestDatabase;
  readonly config: AppConfig;
  close(): Promise<void>;
}

/** A real app on a real database of its own, listening on a random port. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const database = await createTestDatabase();
  const { config } = options;

  @Module({
    imports: [
      RuntimeModule.forRoot({ config, databaseUrl: database.url, applicationName: 'test' }),
      ...options.features,
    ],
  })
  class TestRootModule {}

  const app = await NestFactory.create(TestRootModule, { bodyParser: false, logger: false });
  await options.configure?.(app, config);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    database,
    config,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

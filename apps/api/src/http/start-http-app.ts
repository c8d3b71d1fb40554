import type { AppConfig } from '@gmdesk/config';
import { bootRuntime, exitGracefullyOnSignals } from '@gmdesk/core';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp } from './configure-http-app';

export interface StartedHttpApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly url: string;
  readonly embeddedDatabase: boolean;
}

/** Boots the REST process (api, or platform with the gateway and worker alongside) and listens. */
export async function startHttpApp(
  name: string,
  features: (Type | DynamicModule)[],
  options: { beforeListen?: (app: INestApplication, config: AppConfig) => Promise<void> } = {},
): Promise<StartedHttpApp> {
  const runtime = await bootRuntime(name, { migrate: true });
  const { config } = runtime;
  const app = await NestFactory.create(runtime.rootModule(features), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttpApp(app, config);
  await options.beforeListen?.(app, config);
  exitGracefullyOnSignals(app, name);
  await app.listen(config.port, config.host);
  const server = app.getHttpServer() as { address(): unknown };
  const address = server.address();
  const port =
    typeof address === 'object' && address !== null
      ? (address as { port: number }).port
      : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    app,
    config,
    url: `http://${host}:${port}`,
    embeddedDatabase: runtime.database.embedded,
  };
}

import type { AppConfig } from '@gmdesk/config';
import { createValidationPipe } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import helmet from 'helmet';
import { useJsonBodyParsing } from './body-parsing';
import { useFailedAuthenticationLimit } from './failed-auth-limit';
import { useOpenApi } from './openapi';
import { useRequestContext, useRequestIds } from './request-id';

/**
 * Everything the REST app needs besides its module: header and body timeouts, security headers,
 * the failed-authentication limit, body limits, the strict validation pipe, CORS and OpenAPI at
 * /docs. The api role's set-up (`apiRole`), so every process that serves the api, and the tests,
 * get it through `composeApp` (libs/core/src/boot.ts). Runs before listen.
 */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  useRequestIds(app);
  // helmet's defaults (CSP with 'self' scripts, nosniff, no framing by other sites, …) suit JSON
  // and the Swagger UI at /docs, which loads its scripts from /docs itself. Not
  // upgrade-insecure-requests: `npm start` serves plain HTTP, and a browser that upgrades /docs'
  // own scripts to https would show a blank page.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  useFailedAuthenticationLimit(app, config);
  useJsonBodyParsing(app);
  useRequestContext(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
  });
  useOpenApi(app);
}

import type { AppConfig } from '@gmdesk/config';
import { createValidationPipe } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Express } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { useJsonBodyParsing } from './body-parsing';
import { useFailedAuthenticationLimit } from './failed-auth-limit';
import { useRequestIds } from './request-id';
import { applyHttpServerTimeouts } from './server-timeouts';

/**
 * Everything the REST app needs besides its module: security headers, header and body
 * timeouts, the failed-authentication limit, body limits, the strict validation pipe, CORS,
 * OpenAPI at /docs. Shared by `apps/api` and `apps/platform`. Call before `listen`.
 */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  applyHttpServerTimeouts(app.getHttpServer() as Server, config);
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  useRequestIds(app);
  // helmet's defaults (CSP with 'self' scripts, nosniff, no framing by other sites, …) suit JSON
  // and the Swagger UI at /docs, which loads its scripts from /docs itself. Not
  // upgrade-insecure-requests: `npm start` serves plain HTTP, and a browser that upgrades /docs'
  // own scripts to https would show a blank page.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  useFailedAuthenticationLimit(app, config);
  useJsonBodyParsing(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('gmdesk')
      .setDescription(
        'Player reports, support tickets and moderation for MMORPGs. Errors are always ' +
          '`{ "error": { "code", "message", "details" } }`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'Staff JWT (POST /auth/login) or player token',
      })
      .addApiKey(
        { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ApiKey gmd_…' },
        'apiKey',
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

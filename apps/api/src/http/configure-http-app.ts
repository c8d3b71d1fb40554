import type { AppConfig } from '@gmdesk/config';
import { createValidationPipe } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { useJsonBodyParsing } from './body-parsing';
import { useRequestContext, useRequestIds } from './request-id';

/**
 * Everything the REST app needs besides its module: body limits, the strict validation pipe,
 * CORS, OpenAPI at /docs and shutdown hooks. Shared by `apps/api` and `apps/platform`.
 */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  useRequestIds(app);
  useJsonBodyParsing(app);
  useRequestContext(app);
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

import type { AppConfig } from '@gmdesk/config';
import { createValidationPipe } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { useJsonBodyParsing } from './body-parsing';
import { useRequestIds } from './request-id';

/**
 * Everything the REST app needs besides its module: body limits, the strict validation pipe,
 * CORS and OpenAPI at /docs. The api role's set-up (`apiRole`), so every process that serves the
 * api, and the tests, get it through `composeApp` (libs/core/src/boot.ts).
 */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  useRequestIds(app);
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

import type { AppConfig } from '@gmdesk/config';
import { createValidationPipe } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import { useJsonBodyParsing } from './body-parsing';
import { useOpenApi } from './openapi';
import { useRequestContext, useRequestIds } from './request-id';

/**
 * Everything the REST app needs besides its module: body limits, the strict validation pipe,
 * CORS and OpenAPI at /docs. The api role's set-up (`apiRole`), so every process that serves the
 * api, and the tests, get it through `composeApp` (libs/core/src/boot.ts).
 */
export function configureHttpApp(app: INestApplication, config: AppConfig): void {
  useRequestIds(app);
  useJsonBodyParsing(app);
  useRequestContext(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
  });
  useOpenApi(app);
}

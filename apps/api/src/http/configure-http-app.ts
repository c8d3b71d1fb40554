import type { AppConfig } from '@gmdesk/config';
import { createValidationPipe } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { useJsonBodyParsing } from './body-parsing';
import { useOpenApi } from './openapi';
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
  useOpenApi(app);
}

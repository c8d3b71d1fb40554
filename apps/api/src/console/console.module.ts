import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConsoleMiddleware } from './console.middleware';

/**
 * The staff console (apps/console, built to dist/console) at /console. A middleware rather than
 * a controller: these are static files, not api routes (no OpenAPI entry, no authz row; the
 * console's own calls go to the api routes, which check every caller).
 */
@Module({})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleMiddleware).forRoutes('console', 'console/{*path}');
  }
}

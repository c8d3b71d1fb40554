import { type AppConfig, ConfigModule } from '@gmdesk/config';
import { dataSourceOptions, DbModule } from '@gmdesk/db';
import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORE_ENTITIES } from './entities';

export interface RuntimeOptions {
  readonly config: AppConfig;
  /** Resolved by boot (DATABASE_URL or the embedded cluster) before Nest starts. */
  readonly databaseUrl: string;
  readonly applicationName: string;
  /** Runs after Nest closed everything else, e.g. to stop the embedded PostgreSQL. */
  readonly onShutdown?: () => Promise<void>;
}

const RUNTIME_OPTIONS = Symbol('RUNTIME_OPTIONS');
/** The resolved PostgreSQL URL, for the few things that need their own connection (LISTEN). */
export const DATABASE_URL = Symbol('DATABASE_URL');

@Injectable()
class ShutdownHook implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME_OPTIONS) private readonly options: RuntimeOptions) {}

  async onApplicationShutdown(): Promise<void> {
    await this.options.onShutdown?.();
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * What every process shares once: config, the DataSource, transactions and logging. The api,
 * gateway and worker modules assume it; `apps/platform` imports it once for all three.
 */
@Module({})
export class RuntimeModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    const { config } = options;
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: options.databaseUrl,
            entities: CORE_ENTITIES,
            applicationName: `gmdesk-${options.applicationName}`,
            poolSize: config.databasePool.size,
            acquireTimeoutMs: config.databasePool.acquireTimeoutMs,
          }),
          // Boot checked the database already; fail at once instead of retrying with stack traces.
          retryAttempts: 0,
        }),
        DbModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (request: IncomingMessage, response) => {
              const header = request.headers['x-request-id'];
              const id =
                typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
              response.setHeader('X-Request-Id', id);
              return id;
            },
            // Lean request lines: id, method, url, status and time. Headers are not logged at all
            // (no tokens or cookies to redact), and serializing them for the per-request child
            // logger was a tenth of the cost of a small request.
            serializers: {
              req: (request: IncomingMessage & { id?: unknown }) => ({
                id: request.id,
                method: request.method,
                url: request.url,
              }),
              res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
            },
            wrapSerializers: false,
            customLogLevel: (_request, response, error) =>
              error || response.statusCode >= 500
                ? 'error'
                : response.statusCode >= 400
                  ? 'warn'
                  : 'info',
            autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
            ...(config.logPretty && {
              transport: {
                target: 'pino-pretty',
                options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
              },
            }),
          },
        }),
      ],
      providers: [
        { provide: RUNTIME_OPTIONS, useValue: options },
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        ShutdownHook,
      ],
      exports: [DATABASE_URL],
    };
  }
}

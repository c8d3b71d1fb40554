import { bootRuntime, exitGracefullyOnSignals, exitWithError } from '@gmdesk/core';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  // The api owns migrations; the worker only needs the database to answer.
  const runtime = await bootRuntime('worker', { migrate: false });
  const app = await NestFactory.createApplicationContext(runtime.rootModule([WorkerModule]), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  exitGracefullyOnSignals(app, 'worker');
  process.stdout.write('gmdesk worker running\n');
}

main().catch((error: unknown) => exitWithError('worker', 'startup failed', error));

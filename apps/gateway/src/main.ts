import { bootRuntime, exitGracefullyOnSignals, exitWithError } from '@gmdesk/core';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { GatewayModule } from './gateway.module';
import { configureGateway } from './socket/configure-gateway';

async function main(): Promise<void> {
  // The api owns migrations; a gateway only needs the database to answer.
  const runtime = await bootRuntime('gateway', { migrate: false });
  const app = await NestFactory.create(runtime.rootModule([GatewayModule]), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await configureGateway(app, runtime.config);
  exitGracefullyOnSignals(app, 'gateway');
  await app.listen(runtime.config.port, runtime.config.host);
  process.stdout.write(`gmdesk gateway listening on ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => exitWithError('gateway', 'startup failed', error));

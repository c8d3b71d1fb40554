import { bootRuntime, exitGracefullyOnSignals, exitWithError } from '@gmdesk/core';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Logger } from 'nestjs-pino';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const runtime = await bootRuntime('gateway', { migrate: false });
  const app = await NestFactory.create(runtime.rootModule([GatewayModule]), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useWebSocketAdapter(new IoAdapter(app));
  exitGracefullyOnSignals(app, 'gateway');
  await app.listen(runtime.config.port, runtime.config.host);
  process.stdout.write(`gmdesk gateway listening on ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => exitWithError('gateway', 'startup failed', error));

import type { AppConfig } from '@gmdesk/config';
import type { INestApplication } from '@nestjs/common';
import { GatewayIoAdapter } from './gateway-io.adapter';

/** Attaches socket.io (with Redis when configured) to the app's HTTP server. Call before listen. */
export async function configureGateway(app: INestApplication, config: AppConfig): Promise<void> {
  const adapter = new GatewayIoAdapter(app, config);
  await adapter.connectToRedis();
  app.useWebSocketAdapter(adapter);
}

import type { AppConfig } from '@gmdesk/config';
import type { INestApplication } from '@nestjs/common';
import { GatewayIoAdapter } from './gateway-io.adapter';

/**
 * Attaches socket.io to the app's HTTP server with the gateway's server options (websocket only,
 * message size, ping, CORS) and the Redis adapter when REDIS_URL is set. The gateway role's set-up
 * (`gatewayRole`): the platform, the standalone gateway and the tests all get it via composeApp.
 */
export async function configureGateway(app: INestApplication, config: AppConfig): Promise<void> {
  const adapter = new GatewayIoAdapter(app, config);
  await adapter.connectToRedis();
  app.useWebSocketAdapter(adapter);
}

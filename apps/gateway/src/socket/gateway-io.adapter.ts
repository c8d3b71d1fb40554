import type { AppConfig } from '@gmdesk/config';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';

/** Largest socket.io message; `chat.batch` of 5,000 lines fits, anything larger closes the socket. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * socket.io server options in one place, and the Redis Streams adapter when REDIS_URL is set, so
 * several gateway processes share rooms (presence, typing). Redis is connected before Nest
 * creates the namespaces; a gateway without Redis works alone.
 */
export class GatewayIoAdapter extends IoAdapter {
  private redis?: ReturnType<typeof createClient>;
  private adapterFactory?: ReturnType<typeof createAdapter>;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  async connectToRedis(): Promise<void> {
    if (!this.config.redisUrl) {
      return;
    }
    const client = createClient({ url: this.config.redisUrl });
    client.on('error', () => undefined);
    await client.connect();
    this.redis = client;
    this.adapterFactory = createAdapter(client, {
      streamName: `${this.config.redisPrefix}socket.io`,
    });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      // Websocket only: no long-polling, so no sticky sessions behind a load balancer.
      transports: ['websocket'],
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      serveClient: false,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      cors: { origin: [...this.config.corsOrigins], credentials: false },
    } as ServerOptions);
    if (this.adapterFactory) {
      server.adapter(this.adapterFactory);
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.redis?.quit().catch(() => undefined);
    this.redis = undefined;
  }
}

import type { AppConfig } from '@gmdesk/config';
import { runInRequestContext } from '@gmdesk/core';
import { validationFailed } from '@gmdesk/dto';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { lastValueFrom, type Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { HandshakeGate } from './handshake-gate';
import { BINARY_PAYLOAD, jsonOnlyParser } from './json-only-parser';

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
  readonly handshakes: HandshakeGate;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    this.handshakes = new HandshakeGate(config.socketMaxPendingHandshakes);
  }

  async connectToRedis(): Promise<void> {
    if (!this.config.redisUrl) {
      return;
    }
    const client = createClient({ url: this.config.redisUrl });
    client.on('error', () => undefined);
    await client.connect();
    this.redis = client;
    // Both the stream and the pub/sub channels (presence requests, ephemeral broadcasts) carry
    // the prefix: two deployments sharing one Redis must not hear each other.
    this.adapterFactory = createAdapter(client, {
      streamName: `${this.config.redisPrefix}socket.io`,
      channelPrefix: `${this.config.redisPrefix}socket.io`,
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
      // A connection that joins no namespace within this time is closed (socket.io's default: 45 s).
      connectTimeout: this.config.socketHandshakeTimeoutMs,
      allowRequest: this.handshakes.allowRequest,
      cors: { origin: [...this.config.corsOrigins], credentials: false },
      // Binary packets are refused as they arrive (no gmdesk event takes binary data).
      parser: jsonOnlyParser,
    } as ServerOptions);
    if (this.adapterFactory) {
      server.adapter(this.adapterFactory);
    }
    this.handshakes.watch(server);
    return server;
  }

  /**
   * Binds each @SubscribeMessage handler as one plain listener. Nest's own binding builds an rxjs
   * pipeline per handler per socket (about a hundred closures a connection), which tripled the
   * memory of an idle connection; this keeps per-socket state to the listeners themselves and
   * creates the observable only while an event is being handled.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(String(message), (...args: unknown[]) => {
        // Same shapes as Nest's fromEvent: one argument as is, several as an array.
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args) as {
          data: unknown;
          ack?: unknown;
        };
        if (data === BINARY_PAYLOAD) {
          refuseBinary(socket, ack);
          return;
        }
        // Each event is one request: what it audits carries this id (as REST calls carry theirs).
        runInRequestContext(`ws:${randomUUID()}`, () => {
          void this.answer(
            socket,
            () => transform(callback(data, ack)),
            ack,
            isAckHandledManually === true,
          );
        });
      });
    }
  }

  private async answer(
    socket: Socket,
    run: () => Observable<unknown>,
    ack: unknown,
    ackHandledManually: boolean,
  ): Promise<void> {
    let response: unknown;
    try {
      response = await lastValueFrom(run(), { defaultValue: undefined });
    } catch (error) {
      // Exception filters already answered the client; this is only a filter that rethrew.
      this.logger.error(error);
      return;
    }
    if (response === undefined || response === null) {
      return;
    }
    const { event, data } = response as { event?: string; data?: unknown };
    if (event) {
      socket.emit(event, data);
    } else if (!ackHandledManually && typeof ack === 'function') {
      (ack as (body: unknown) => void)(response);
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.redis?.quit().catch(() => undefined);
    this.redis = undefined;
  }
}

/**
 * The answer to an event that carried binary attachments (JsonOnlyDecoder dropped them): a
 * `validation_failed` like any other payload that is not JSON, as an ack or, without an ack
 * callback, an `exception` event (as WsAckFilter does).
 */
function refuseBinary(socket: Socket, ack: unknown): void {
  const refused = validationFailed([
    {
      field: '',
      problem:
        'must be JSON data: binary attachments (Buffer, ArrayBuffer, typed arrays) are not accepted',
    },
  ]);
  const body = {
    ok: false,
    error: { code: refused.code, message: refused.message, details: refused.details ?? null },
  };
  if (typeof ack === 'function') {
    (ack as (answer: unknown) => void)(body);
  } else {
    socket.emit('exception', body);
  }
}

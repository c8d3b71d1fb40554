import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

/**
 * The raw baseline: a plain `http` server with socket.io 4 and nothing else (no Nest, no
 * database, no auth middleware, no rooms), with the engine options GatewayIoAdapter sets
 * (websocket only, 2 MiB max message, 20 s ping interval/timeout, no client bundle).
 */
export interface BareServer {
  readonly url: string;
  readonly io: Server;
  /** Server-side sockets by the client's `auth.i` (only when started with `track`). */
  readonly byIndex: Map<number, Socket>;
  /** Connected sockets of a namespace. */
  count(namespace: string): number;
  close(): Promise<void>;
}

export const GATEWAY_ENGINE_OPTIONS = {
  transports: ['websocket' as const],
  maxHttpBufferSize: 2 * 1024 * 1024,
  serveClient: false,
  pingInterval: 20_000,
  pingTimeout: 20_000,
};

export async function startBareServer(options: {
  namespaces: readonly string[];
  track: boolean;
}): Promise<BareServer> {
  const http = createServer();
  const io = new Server(http, GATEWAY_ENGINE_OPTIONS);
  const byIndex = new Map<number, Socket>();
  for (const name of options.namespaces) {
    io.of(name).on('connection', (socket) => {
      if (!options.track) {
        return;
      }
      const index = (socket.handshake.auth as { i?: unknown }).i;
      if (typeof index === 'number') {
        byIndex.set(index, socket);
        socket.once('disconnect', () => byIndex.delete(index));
      }
    });
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    byIndex,
    count: (namespace) => io.of(namespace).sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        void io.close(() => resolve());
      }),
  };
}

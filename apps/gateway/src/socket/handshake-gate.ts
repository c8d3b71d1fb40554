import type { IncomingMessage } from 'node:http';
import type { Namespace, Server, Socket } from 'socket.io';
import { HandshakeError } from './handshake-auth';

/** The engine.io connection under a socket.io socket (a WebSocket here); closes all its namespaces. */
type Connection = Socket['conn'];

/**
 * Bounds the connections that have not finished their handshake: a WebSocket is open but has not
 * joined a namespace yet (it has not sent one, or its credential is still being checked). Each
 * costs memory and, while it is checked, a database look-up; without a bound, a client could
 * open thousands and never authenticate. Beyond SOCKET_MAX_PENDING_HANDSHAKES the WebSocket
 * upgrade itself is refused (the client sees a transport error and retries with backoff); a
 * connection that joins no namespace within SOCKET_HANDSHAKE_TIMEOUT_MS is closed by socket.io
 * (`connectTimeout`). The count is this process's own.
 */
export class HandshakeGate {
  private readonly pending = new Set<Connection>();

  constructor(private readonly maxPending: number) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** engine.io `allowRequest`: refuse new connections while too many are pending. */
  readonly allowRequest = (
    _request: IncomingMessage,
    callback: (error: string | null | undefined, success: boolean) => void,
  ): void => {
    if (this.pending.size >= this.maxPending) {
      callback('Too many connections are being set up; retry shortly.', false);
      return;
    }
    callback(null, true);
  };

  /** Counts every new connection until it joins a namespace or closes. */
  watch(server: Server): void {
    server.engine.on('connection', (connection: Connection) => {
      this.pending.add(connection);
      connection.once('close', () => this.pending.delete(connection));
    });
    server.on('new_namespace', (namespace: Namespace) => {
      namespace.on('connection', (socket: Socket) => this.pending.delete(socket.conn));
    });
    // The main namespace "/" exists in every socket.io server and needs no credential: nothing is
    // served there, so a connection may not use it to leave the pending state for free.
    server
      .of('/')
      .use((_socket, next) =>
        next(new HandshakeError('unknown_namespace', 'Connect to /game, /player or /staff.')),
      );
  }
}

import { io, type Socket } from 'socket.io-client';
import { withTimeout } from './wait-for';

export interface ConnectOptions {
  readonly auth?: Record<string, unknown>;
  readonly extraHeaders?: Record<string, string>;
  readonly timeoutMs?: number;
  /**
   * Connect from this loopback address (127.0.0.2, …) to act as another client IP; engine.io
   * hands the option to the `ws` transport, though its types do not list it.
   */
  readonly localAddress?: string;
}

/** A raw socket.io client (websocket only, no reconnection), connected or rejected with `connect_error`. */
export function connectSocket(
  baseUrl: string,
  namespace: string,
  options: ConnectOptions = {},
): Promise<Socket> {
  const socket = io(`${baseUrl}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: options.auth ?? {},
    extraHeaders: options.extraHeaders,
    forceNew: true,
    ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
  } as Parameters<typeof io>[1]);
  return withTimeout(
    new Promise<Socket>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    }),
    options.timeoutMs ?? 5000,
    `a connection to ${namespace}`,
  );
}

/** The `connect_error` a handshake is refused with (fails if the handshake succeeds). */
export async function expectConnectError(
  baseUrl: string,
  namespace: string,
  options: ConnectOptions = {},
): Promise<Error & { data?: { code: string; message: string; retry: boolean } }> {
  try {
    const socket = await connectSocket(baseUrl, namespace, options);
    socket.close();
  } catch (error) {
    return error as Error & { data?: { code: string; message: string; retry: boolean } };
  }
  throw new Error(`expected the handshake to ${namespace} to be refused, but it connected`);
}

/** Resolves with the next `event` (that matches), or rejects after the timeout. Never sleeps. */
export function waitForEvent<T = unknown>(
  socket: Socket,
  event: string,
  options: { timeoutMs?: number; match?: (payload: T) => boolean } = {},
): Promise<T> {
  let handler: ((payload: T) => void) | undefined;
  const received = new Promise<T>((resolve) => {
    handler = (payload: T) => {
      if (!options.match || options.match(payload)) {
        resolve(payload);
      }
    };
    socket.on(event, handler);
  });
  return withTimeout(received, options.timeoutMs ?? 5000, `socket event "${event}"`).finally(() => {
    if (handler) {
      socket.off(event, handler);
    }
  });
}

/** Resolves when the socket is disconnected, with socket.io's reason. */
export function waitForDisconnect(socket: Socket, timeoutMs = 5000): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve) => {
      if (socket.disconnected) {
        resolve('already disconnected');
        return;
      }
      socket.once('disconnect', (reason) => resolve(reason));
    }),
    timeoutMs,
    'the socket to disconnect',
  );
}

/** An ack as the gateway sends it (`{ ok: true, ... }` or `{ ok: false, error }`), loosely typed for assertions. */
export interface AckBody {
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string; readonly details?: unknown };
  readonly [key: string]: unknown;
}

/** Emits with an ack callback and resolves with the ack (rejects after the timeout). */
export async function emitAck(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 5000,
): Promise<AckBody> {
  return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as AckBody;
}

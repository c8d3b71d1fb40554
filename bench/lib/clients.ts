import { io, type Socket } from 'socket.io-client';
import { forEachLimited, withTimeout } from './timing';

export interface ConnectManyOptions {
  /** Handshakes in flight at once. */
  readonly concurrency?: number;
  /** Per connection. */
  readonly timeoutMs?: number;
}

/** One socket.io client per `auth`, websocket transport only, no reconnection. */
export async function connectMany(
  url: string,
  namespace: string,
  auths: readonly Record<string, unknown>[],
  options: ConnectManyOptions = {},
): Promise<Socket[]> {
  const sockets: Socket[] = new Array<Socket>(auths.length);
  try {
    await forEachLimited(auths.length, options.concurrency ?? 200, async (index) => {
      sockets[index] = await connectOne(
        url,
        namespace,
        auths[index] ?? {},
        options.timeoutMs ?? 20_000,
      );
    });
  } catch (error) {
    closeAll(sockets.filter((socket) => socket !== undefined));
    throw error;
  }
  return sockets;
}

function connectOne(
  url: string,
  namespace: string,
  auth: Record<string, unknown>,
  timeoutMs: number,
): Promise<Socket> {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    auth,
  });
  return withTimeout(
    new Promise<Socket>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error: Error) => {
        socket.close();
        const hint = /EMFILE|ENFILE/.test(String(error.message ?? error))
          ? ' (out of file descriptors: raise `ulimit -n`)'
          : '';
        reject(new Error(`connect to ${namespace} failed: ${error.message}${hint}`));
      });
    }),
    timeoutMs + 1000,
    `a connection to ${namespace}`,
  ).catch((error: unknown) => {
    socket.close();
    throw error;
  });
}

export function closeAll(sockets: readonly Socket[]): void {
  for (const socket of sockets) {
    socket.removeAllListeners();
    socket.close();
  }
}

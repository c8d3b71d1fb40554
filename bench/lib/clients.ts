import type { ResumeAck } from '@gmdesk/contracts';
import { io, type Socket } from 'socket.io-client';
import { forEachLimited, withTimeout } from './timing';

export interface ConnectManyOptions {
  /** Handshakes in flight at once. */
  readonly concurrency?: number;
  /** Per connection. */
  readonly timeoutMs?: number;
  /** Runs on each socket once connected (e.g. `resume`); part of the per-connection unit of work. */
  readonly ready?: (socket: Socket) => Promise<void>;
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
      const socket = await connectOne(
        url,
        namespace,
        auths[index] ?? {},
        options.timeoutMs ?? 20_000,
      );
      sockets[index] = socket;
      await options.ready?.(socket);
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

/**
 * What every gmdesk client does right after connecting (the SDK does the same): `resume` from
 * where it is. Live delivery to a socket starts only with its resume. A fresh client sends
 * `{ lastSeq: 0 }`; when told to re-sync (e.g. a new console tab on the busy staff stream), a
 * real client loads a snapshot over REST and continues from the position the ack gives.
 */
export async function resumeFresh(socket: Socket, timeoutMs = 30_000): Promise<number> {
  type Answer = ResumeAck | { readonly ok: false; readonly error: unknown };
  let ack = (await socket.timeout(timeoutMs).emitWithAck('resume', { lastSeq: 0 })) as Answer;
  if (ack.ok && ack.resync) {
    ack = (await socket
      .timeout(timeoutMs)
      .emitWithAck('resume', { epoch: ack.epoch, lastSeq: ack.lastSeq })) as Answer;
  }
  if (!ack.ok || ack.resync) {
    throw new Error(`resume was not accepted: ${JSON.stringify(ack)}`);
  }
  return ack.replayed;
}

/**
 * Child process of `npm run bench:delivery` for the idle-connection memory figure: the server
 * side alone (the clients live in the parent), so `process.memoryUsage()` counts only what the
 * server holds per connection. Started with --expose-gc; answers the parent over IPC.
 *
 *   argv[2] = 'gmdesk': api + gateway booted as the e2e tests boot them (ApiTestContext, a fresh
 *                       database cloned from the template the parent prepared), one realm.
 *   argv[2] = 'bare':   a plain socket.io server with the gateway's engine options.
 */
import { testConfig } from '@gmdesk/testing';
import { ApiTestContext } from '../test/support/api-context';
import { startBareServer } from './lib/bare-server';
import { findDispatcher } from './lib/gmdesk-app';

export type MemoryServerMode = 'gmdesk' | 'bare';

export type MemoryServerRequest =
  | { readonly id: number; readonly cmd: 'count' }
  | { readonly id: number; readonly cmd: 'memory' }
  | { readonly id: number; readonly cmd: 'stop' };

export type MemoryServerMessage =
  | {
      readonly type: 'ready';
      readonly url: string;
      readonly realm?: { id: string; secret: string };
    }
  | { readonly type: 'failed'; readonly error: string }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly count?: number;
      readonly memory?: NodeJS.MemoryUsage;
    };

interface RunningServer {
  readonly url: string;
  readonly realm?: { id: string; secret: string };
  /** Connected sockets that are fully set up (gmdesk: attached to their stream). */
  count(): number;
  close(): Promise<void>;
}

function send(message: MemoryServerMessage): void {
  process.send?.(message);
}

async function start(mode: MemoryServerMode): Promise<RunningServer> {
  if (mode === 'bare') {
    const bare = await startBareServer({ namespaces: ['/player'], track: false });
    return { url: bare.url, count: () => bare.count('/player'), close: () => bare.close() };
  }
  const ctx = await ApiTestContext.start(testConfig(), { gateway: true });
  const realm = await ctx.newRealm();
  const dispatcher = findDispatcher(ctx.testApp.app);
  if (!dispatcher) {
    throw new Error('StreamDispatcher not found in the Nest container');
  }
  return {
    url: ctx.url,
    realm,
    count: () => dispatcher.localSocketCount(),
    close: () => ctx.close(),
  };
}

async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('run with --expose-gc');
  }
  for (let round = 0; round < 4; round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const mode = process.argv[2] as MemoryServerMode;
  if (mode !== 'gmdesk' && mode !== 'bare') {
    throw new Error(`unknown mode ${String(mode)}`);
  }
  // Never outlive the parent.
  process.on('disconnect', () => process.exit(1));
  const server = await start(mode);
  process.on('message', (raw: MemoryServerRequest) => {
    void (async () => {
      switch (raw.cmd) {
        case 'count':
          send({ type: 'reply', id: raw.id, count: server.count() });
          return;
        case 'memory':
          send({ type: 'reply', id: raw.id, memory: await settledMemory(), count: server.count() });
          return;
        case 'stop':
          // The parent waits for this process to exit.
          await server.close().catch(() => undefined);
          process.exit(0);
      }
    })();
  });
  send({ type: 'ready', url: server.url, realm: server.realm });
}

main().catch((error: unknown) => {
  send({
    type: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { signPlayerToken } from '../../test/support/api-context';
import type { MemoryServerMessage, MemoryServerMode, MemoryServerRequest } from '../memory-server';
import { closeAll, connectMany, resumeFresh } from './clients';
import type { BenchSettings } from './settings';
import { sleep, waitUntil, withTimeout } from './timing';

export interface MemoryResult {
  readonly mode: MemoryServerMode;
  readonly connections: number;
  readonly before: NodeJS.MemoryUsage;
  readonly after: NodeJS.MemoryUsage;
  /** (after − before) / connections, in kB (1,000 bytes), after forced GC on both readings. */
  readonly perConnectionKb: {
    readonly rss: number;
    readonly heapUsed: number;
    readonly external: number;
  };
  readonly connectSeconds: number;
}

const WARMUP_CONNECTIONS = 100;

/** The server child over IPC: one request at a time, each answered by id. */
class ServerChild {
  private nextId = 1;
  private readonly waiting = new Map<number, (message: MemoryServerMessage) => void>();
  readonly ready: Promise<Extract<MemoryServerMessage, { type: 'ready' }>>;
  readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (message: MemoryServerMessage) => {
        if (message.type === 'ready') {
          resolve(message);
        } else if (message.type === 'failed') {
          reject(new Error(`memory server failed: ${message.error}`));
        } else {
          this.waiting.get(message.id)?.(message);
          this.waiting.delete(message.id);
        }
      });
      void this.exited.then((code) => reject(new Error(`memory server exited with ${code}`)));
    });
  }

  request(cmd: 'count' | 'memory'): Promise<Extract<MemoryServerMessage, { type: 'reply' }>> {
    const id = this.nextId++;
    const answer = new Promise<MemoryServerMessage>((resolve) => this.waiting.set(id, resolve));
    this.child.send({ id, cmd } satisfies MemoryServerRequest);
    return withTimeout(answer, 30_000, `the memory server to answer ${cmd}`) as Promise<
      Extract<MemoryServerMessage, { type: 'reply' }>
    >;
  }

  async count(): Promise<number> {
    return (await this.request('count')).count ?? 0;
  }

  async memory(): Promise<NodeJS.MemoryUsage> {
    const reply = await this.request('memory');
    if (!reply.memory) {
      throw new Error('the memory server sent no reading');
    }
    return reply.memory;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) {
      this.child.send({ id: this.nextId++, cmd: 'stop' } satisfies MemoryServerRequest);
    }
    await withTimeout(this.exited, 30_000, 'the memory server to exit').catch(() => {
      this.child.kill('SIGKILL');
    });
  }
}

/**
 * Figure 3: the server in a child process (started with --expose-gc), the clients here. Reads the
 * child's memory after GC with no client, then with `connections` idle /player clients.
 */
export async function measureIdleMemory(
  mode: MemoryServerMode,
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<MemoryResult> {
  const child = new ServerChild(
    fork(join(__dirname, '..', 'memory-server.ts'), [mode], {
      cwd: join(__dirname, '..', '..'),
      execArgv: ['--expose-gc', '-r', '@swc-node/register'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  let sockets: Awaited<ReturnType<typeof connectMany>> = [];
  try {
    const ready = await withTimeout(child.ready, 120_000, `the ${mode} memory server to start`);
    const count = settings.memoryConnections;
    const realm = ready.realm;
    const auths: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i += 1) {
      auths.push(
        realm
          ? {
              token: await signPlayerToken(realm.secret, realm.id, `bench-m${i}`, {
                expiresInSeconds: 86_400,
              }),
            }
          : { i },
      );
    }
    // gmdesk clients resume right after connecting, as every real client does: an idle session
    // is a live one. The bare server has no protocol: its clients only connect.
    const resume = realm
      ? async (socket: Parameters<typeof resumeFresh>[0]) => {
          await resumeFresh(socket);
        }
      : undefined;
    // Warm-up: first connections load lazy code and JIT; then back to zero.
    const warm = await connectMany(ready.url, '/player', auths.slice(0, WARMUP_CONNECTIONS), {
      ready: resume,
    });
    await waitUntil(async () => (await child.count()) >= warm.length, 30_000, 'warm-up sockets');
    closeAll(warm);
    await waitUntil(async () => (await child.count()) === 0, 30_000, 'warm-up sockets to close');
    await sleep(500);

    const before = await child.memory();
    const started = Date.now();
    sockets = await connectMany(ready.url, '/player', auths, {
      concurrency: settings.connectConcurrency,
      ready: resume,
    });
    await waitUntil(
      async () => (await child.count()) >= count,
      120_000,
      `${count} idle connections on the ${mode} server`,
      250,
    );
    const connectSeconds = (Date.now() - started) / 1000;
    await sleep(1000);
    const after = await child.memory();
    log(
      `  ${mode}: ${count} idle /player connections held (${connectSeconds.toFixed(1)} s to connect)`,
    );
    const perKb = (key: 'rss' | 'heapUsed' | 'external'): number =>
      Math.round(((after[key] - before[key]) / count / 1000) * 100) / 100;
    return {
      mode,
      connections: count,
      before,
      after,
      perConnectionKb: {
        rss: perKb('rss'),
        heapUsed: perKb('heapUsed'),
        external: perKb('external'),
      },
      connectSeconds,
    };
  } finally {
    closeAll(sockets);
    await child.stop();
  }
}

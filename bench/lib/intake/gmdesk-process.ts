import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { withTimeout } from '../timing';
import { BenchChild, waitForHttp } from './child-process';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Where `nest build <app>` puts the entry (builder tsc, monorepo mode). */
export function entryOf(app: 'api' | 'platform'): string {
  return join(REPO_ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

/** `nest build <app>` (the same build as `npm run start:api` / `npm start`), bounded. */
export async function buildApp(app: 'api' | 'platform', timeoutMs: number): Promise<void> {
  const child = BenchChild.spawn(
    `nest build ${app}`,
    process.execPath,
    [join(REPO_ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', app],
    { cwd: REPO_ROOT, env: process.env },
  );
  const code = await withTimeout(child.exited, timeoutMs, `nest build ${app}`).catch(
    async (error: unknown) => {
      await child.stop(2_000);
      throw error;
    },
  );
  if (code !== 0 || !existsSync(entryOf(app))) {
    throw new Error(`nest build ${app} failed (exit ${code}):\n${child.output.text()}`);
  }
}

export interface CapturedStatement {
  readonly text: string;
  readonly values: unknown[];
}

interface TraceReply {
  readonly benchSqlTrace: number;
  readonly count: number;
  readonly statements?: CapturedStatement[];
}

export interface GmdeskOptions {
  readonly app: 'api' | 'platform';
  readonly databaseUrl: string;
  readonly port: number;
  readonly poolSize: number;
  readonly jwtSecret: string;
  /** Folder for `--cpu-prof` (the profile is written when the process exits). */
  readonly cpuProfileDir?: string;
}

/**
 * gmdesk in its own OS process: the built entry run by `node`, configured through the
 * environment only, with bench/lib/intake/sql-trace.cjs preloaded (statement counts, SQL capture).
 */
export class GmdeskProcess {
  private nextTraceId = 1;
  private readonly waiting = new Map<number, (reply: TraceReply) => void>();

  private constructor(
    readonly child: BenchChild,
    readonly url: string,
  ) {
    child.child.on('message', (message: TraceReply) => {
      if (typeof message?.benchSqlTrace === 'number') {
        this.waiting.get(message.benchSqlTrace)?.(message);
        this.waiting.delete(message.benchSqlTrace);
      }
    });
  }

  static async start(options: GmdeskOptions): Promise<GmdeskProcess> {
    const nodeArgs = ['--require', join(__dirname, 'sql-trace.cjs')];
    if (options.cpuProfileDir) {
      mkdirSync(options.cpuProfileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      JWT_SECRET: options.jwtSecret,
      STAFF_TOKEN_TTL_SECONDS: '7200',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      // The throttler must not shape the load: every limit far above what a run can send.
      RATE_LIMIT_PER_MINUTE: '100000000',
      GAME_SERVER_RATE_LIMIT_PER_MINUTE: '100000000',
      SEED_ON_FIRST_RUN: 'false',
    };
    const child = BenchChild.spawn(
      `gmdesk ${options.app}`,
      process.execPath,
      [...nodeArgs, entryOf(options.app)],
      { cwd: REPO_ROOT, env, ipc: true },
    );
    const url = `http://127.0.0.1:${options.port}`;
    try {
      await waitForHttp(child, `${url}/health/ready`, 90_000);
    } catch (error) {
      await child.stop(5_000);
      throw error;
    }
    return new GmdeskProcess(child, url);
  }

  get pid(): number {
    return this.child.pid;
  }

  private trace(cmd: 'count' | 'capture-start' | 'capture-stop'): Promise<TraceReply> {
    const id = this.nextTraceId++;
    const reply = new Promise<TraceReply>((resolve) => this.waiting.set(id, resolve));
    this.child.child.send({ benchSqlTrace: id, cmd });
    return withTimeout(reply, 10_000, `gmdesk to answer the SQL trace (${cmd})`).finally(() =>
      this.waiting.delete(id),
    );
  }

  /** Statements sent to PostgreSQL since the process started. */
  async statementCount(): Promise<number> {
    return (await this.trace('count')).count;
  }

  async capture<T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; statements: CapturedStatement[] }> {
    await this.trace('capture-start');
    try {
      const result = await work();
      const { statements = [] } = await this.trace('capture-stop');
      return { result, statements };
    } catch (error) {
      await this.trace('capture-stop').catch(() => undefined);
      throw error;
    }
  }

  stop(): Promise<number | null> {
    return this.child.stop(20_000);
  }
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A free TCP port on 127.0.0.1 (closed again at once; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

import { withTimeout } from '@gmdesk/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';

const ROOT = resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 60_000;
/** `npm start` = `nest build platform` (prestart), then this. */
const BUILT_ENTRY = 'dist/apps/platform/apps/platform/src/main.js';

interface Spawned {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

interface Running extends Spawned {
  readonly url: string;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/** Whether the process runs; a zombie (exited, its new parent has not reaped it yet) does not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
      return false;
    }
  }
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
    return !state.trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when the pid is gone
  }
}

/** Every process below `pid` (children, grandchildren, …) as `ps` sees them now. */
function descendants(pid: number): { pid: number; command: string }[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), parent: Number(match[2]), command: match[3] ?? '' }));
  const found: { pid: number; command: string }[] = [];
  const parents = [pid];
  while (parents.length > 0) {
    const parent = parents.pop();
    for (const row of table.filter((entry) => entry.parent === parent)) {
      found.push({ pid: row.pid, command: row.command });
      parents.push(row.pid);
    }
  }
  return found;
}

/** A clean environment of our choosing: no DATABASE_URL or REDIS_URL from the test run. */
function spawnWith(command: string, args: string[], env: Record<string, string>): Spawned {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...inherited, HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

/** The platform's entry point from source (no build needed), for the boot-failure cases. */
function spawnFromSource(env: Record<string, string>): Spawned {
  return spawnWith(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/platform/src/main.ts'],
    env,
  );
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolveExit({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
}

async function running(spawned: Spawned, timeoutMs = BOOT_TIMEOUT_MS): Promise<Running> {
  const { child, stdout, stderr } = spawned;
  const url = await withTimeout(
    new Promise<string>((resolveUrl, reject) => {
      const onData = (): void => {
        const match = /gmdesk is running on (http:\/\/\S+)/.exec(stdout());
        if (match?.[1]) {
          child.stdout?.off('data', onData);
          resolveUrl(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      onData();
      child.once('exit', (code) =>
        reject(new Error(`platform exited with ${code}: ${stderr()}${stdout()}`)),
      );
    }),
    timeoutMs,
    'the platform to print its URL',
  );
  return { ...spawned, url };
}

async function stop(platform: Running): Promise<number | null> {
  const exited = exitOf(platform.child);
  platform.child.kill('SIGTERM');
  return (await withTimeout(exited, 20_000, 'the platform to shut down after SIGTERM')).code;
}

describe('platform boot (npm start)', () => {
  it('exits with one clear line and code 1 when the database cannot be reached', async () => {
    const port = await freePort();
    const { child, stderr } = spawnFromSource({
      DATABASE_URL: `postgres://gmdesk@127.0.0.1:${port}/gmdesk`,
    });
    const { code } = await withTimeout(exitOf(child), BOOT_TIMEOUT_MS, 'the platform to exit');
    expect(code).toBe(1);
    const lines = stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gmdesk platform: database: cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/gmdesk/,
    );
  });

  it('exits with code 1 and names every bad setting when the configuration is invalid', async () => {
    const { child, stderr } = spawnFromSource({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    const { code } = await withTimeout(exitOf(child), BOOT_TIMEOUT_MS, 'the platform to exit');
    expect(code).toBe(1);
    expect(stderr()).toMatch(/configuration/);
    expect(stderr()).toMatch(/PORT/);
    expect(stderr()).toMatch(/LOG_LEVEL/);
  });

  /**
   * One data folder through a life: `npm start` exactly as the README says (which builds once for
   * the later starts), a stale lock, a crash, a busy port. The steps depend on each other and run
   * in order.
   */
  describe('on embedded PostgreSQL, from an empty data folder', () => {
    let dataDir: string;
    let env: Record<string, string>;
    let adminPassword: string | undefined;
    let lockFileWhileRunning = '';
    /** Whatever these tests started, for afterAll to clean up if an assertion stopped them early. */
    const started = new Set<number>();

    const postmasterPidFile = () => join(dataDir, 'postgres', 'postmaster.pid');
    const postmasterPid = async () =>
      Number((await readFile(postmasterPidFile(), 'utf8')).split('\n', 1)[0]);
    const startBuilt = () => running(spawnWith(process.execPath, [BUILT_ENTRY], env));

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'gmdesk-boot-'));
      // PostgreSQL runs as the `postgres` OS user when we are root; it must be able to enter it.
      await chmod(dataDir, 0o755);
      env = {
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        EMBEDDED_PG_PORT: String(await freePort()),
      };
    });

    afterAll(async () => {
      for (const pid of started) {
        if (isAlive(pid)) {
          process.kill(pid, 'SIGKILL');
        }
      }
      if (existsSync(postmasterPidFile())) {
        const pid = await postmasterPid();
        if (isAlive(pid)) {
          process.kill(pid, 'SIGQUIT');
        }
      }
      await rm(dataDir, { recursive: true, force: true });
    });

    it('`npm start` serves the api and websocket-only sockets, and SIGTERM to npm stops node and PostgreSQL', async () => {
      // npm runs the script through `sh -c`; a SIGTERM that npm forwards to that shell used to
      // kill only the shell, orphaning node and its PostgreSQL.
      const npm = await running(spawnWith('npm', ['start'], env), 180_000);
      const tree = descendants(npm.child.pid ?? 0);
      for (const { pid } of tree) {
        started.add(pid);
      }
      expect(tree.map((process_) => process_.command).join('\n')).toMatch(/postgres -D /);
      lockFileWhileRunning = await readFile(postmasterPidFile(), 'utf8');

      await request(npm.url).get('/health/ready').expect(200);
      await request(npm.url).get('/docs').expect(200);
      // The real entry point has the gateway's socket.io settings: websocket only, no bundle.
      await request(npm.url)
        .get('/socket.io/')
        .query({ EIO: '4', transport: 'polling' })
        .expect(400);
      await request(npm.url).get('/socket.io/socket.io.js').expect(400);
      adminPassword = /Staff console login\s+admin \/ (\S+)/.exec(npm.stdout())?.[1];
      expect(adminPassword).toBeDefined();
      expect(npm.stdout()).toMatch(/Game-server API key\s+gmd_[0-9a-f]{16}_\S{43}/);
      await request(npm.url)
        .post('/auth/login')
        .send({ username: 'admin', password: adminPassword })
        .expect(200);

      const exited = exitOf(npm.child);
      npm.child.kill('SIGTERM');
      const exit = await withTimeout(exited, 30_000, 'npm to exit after SIGTERM');
      // npm waits for its script, node for its PostgreSQL: when npm is gone, all of them are.
      expect(tree.filter(({ pid }) => isAlive(pid))).toEqual([]);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(existsSync(postmasterPidFile())).toBe(false);
      expect(await portIsFree(Number(env.PORT))).toBe(true);
      expect(await portIsFree(Number(env.EMBEDDED_PG_PORT))).toBe(true);
    }, 240_000);

    let survivor: Running | undefined;

    it('a postmaster.pid naming an unrelated live process neither blocks the start nor touches that process', async () => {
      // Same user as PostgreSQL, as on a developer's machine: PostgreSQL alone would refuse to
      // start while that pid lives (as root, PostgreSQL runs as `postgres`, so the stranger does).
      const asPostgres =
        process.getuid?.() === 0
          ? {
              uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
              gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
            }
          : {};
      const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
        cwd: '/',
        stdio: 'ignore',
        ...asPostgres,
      });
      started.add(stranger.pid ?? 0);
      try {
        await writeFile(
          postmasterPidFile(),
          lockFileWhileRunning.replace(/^\d+/, String(stranger.pid)),
        );

        survivor = await startBuilt();
        started.add(survivor.child.pid ?? 0);
        expect(survivor.stdout()).toMatch(/not this cluster.s PostgreSQL: removing the stale lock/);
        await request(survivor.url).get('/health/ready').expect(200);
        expect(isAlive(stranger.pid ?? 0)).toBe(true);
        expect(stranger.exitCode).toBeNull();
      } finally {
        const gone = exitOf(stranger);
        stranger.kill('SIGKILL');
        await withTimeout(gone, 10_000, 'the stranger to exit');
      }
    }, 120_000);

    it('a start after node was SIGKILLed stops the PostgreSQL it orphaned and comes up on the same data', async () => {
      // The platform the previous step started crashes: its PostgreSQL is left running.
      const crashed = survivor ?? (await startBuilt());
      started.add(crashed.child.pid ?? 0);
      const orphan = await postmasterPid();
      const killed = exitOf(crashed.child);
      crashed.child.kill('SIGKILL');
      await withTimeout(killed, 10_000, 'node to die');
      expect(isAlive(orphan)).toBe(true);

      const next = await startBuilt();
      started.add(next.child.pid ?? 0);
      expect(next.stdout()).toContain(`stopping the embedded PostgreSQL (pid ${orphan})`);
      expect(isAlive(orphan)).toBe(false);
      await request(next.url).get('/health/ready').expect(200);
      expect(next.stdout()).not.toMatch(/Staff console login/);
      await request(next.url)
        .post('/auth/login')
        .send({ username: 'admin', password: adminPassword })
        .expect(200);
      expect(await stop(next)).toBe(0);
      expect(existsSync(postmasterPidFile())).toBe(false);
    }, 120_000);

    it('a start that cannot listen (PORT taken) exits 1 and stops the PostgreSQL it started', async () => {
      const squatter = createServer();
      await new Promise<void>((listening) =>
        squatter.listen(Number(env.PORT), '127.0.0.1', listening),
      );
      try {
        const { child, stderr } = spawnWith(process.execPath, [BUILT_ENTRY], env);
        const { code } = await withTimeout(exitOf(child), BOOT_TIMEOUT_MS, 'the platform to exit');
        expect(code).toBe(1);
        expect(stderr()).toMatch(/startup failed: listen EADDRINUSE/);
        expect(existsSync(postmasterPidFile())).toBe(false);
        expect(await portIsFree(Number(env.EMBEDDED_PG_PORT))).toBe(true);
      } finally {
        await new Promise((closed) => squatter.close(closed));
      }
    }, 120_000);
  });
});
